import Foundation
import ResyncCore

/// The monitor's own sentences (digest, recovery, fallback line) in the configured language.
struct AlertTexts: Sendable {
    let language: Language
    let timeZone: TimeZone

    func time(_ date: Date) -> String {
        ClockTime.text(date, in: timeZone, labelled: true)
    }

    /// "23 jobs failed in stream NIGHTLY since 03:10 UTC — details in thread".
    func digest(jobs: [Job], since: Date) -> String {
        var perStream: [String: Int] = [:]
        for job in jobs { perStream[job.jobStreamName.trimmingLeadingSlash, default: 0] += 1 }
        let streams = perStream.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let shown = streams.prefix(5).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let more = streams.count > 5 ? ", …" : ""
        switch language {
        case .english:
            let place =
                streams.count == 1
                ? "in stream \(streams[0].key)" : "in \(streams.count) streams (\(shown)\(more))"
            return "🔴 \(jobs.count) jobs failed \(place) since \(time(since)) — details in thread"
        case .portuguese:
            let place =
                streams.count == 1
                ? "no stream \(streams[0].key)" : "em \(streams.count) streams (\(shown)\(more))"
            return "🔴 \(jobs.count) jobs falharam \(place) desde \(time(since)) — detalhes na thread"
        }
    }

    /// "✅ PAYROLL_FINAL recovered at 03:40 UTC, rc 0, by rerun 1".
    func recovery(job: Job, recovery: AlertRecovery) -> String {
        let rc = recovery.returnCode.map(String.init) ?? "?"
        switch language {
        case .english:
            let rerun = recovery.rerun.map { ", by rerun \($0)" } ?? ""
            return "✅ \(job.qualifiedName) recovered at \(time(recovery.at)), rc \(rc)\(rerun)"
        case .portuguese:
            let rerun = recovery.rerun.map { ", pelo rerun \($0)" } ?? ""
            return "✅ \(job.qualifiedName) recuperado às \(time(recovery.at)), rc \(rc)\(rerun)"
        }
    }

    /// One line about the failure, sent with the answer for platforms that show a plain-text preview.
    func failure(job: Job, failedAt: Date?) -> String {
        let status = (job.lastRun?.internalStatus ?? job.internalStatus)?.rawValue ?? job.commonStatus.rawValue
        let rc = job.lastRun?.returnCode.map { ", rc \($0)" } ?? ""
        let when = failedAt.map(time) ?? "?"
        switch language {
        case .english: return "🔴 \(job.qualifiedName) failed (\(status)\(rc)) at \(when)"
        case .portuguese: return "🔴 \(job.qualifiedName) falhou (\(status)\(rc)) às \(when)"
        }
    }
}
