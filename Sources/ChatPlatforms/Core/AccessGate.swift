import Foundation
import Logging
import ResyncCore

/// Applies the access policy to an answer before it is posted: a question about an object the channel may
/// not see gets a polite refusal. The agent already composed lists and summaries within the conversation's
/// `AccessScope`; filtering them again here is the last check (an answer from another `QuestionAnswering`,
/// stale jobs kept from before HWA went down).
struct AccessGate: Sendable {
    let policy: ChatAccessPolicy

    struct Outcome {
        var answer: Answer
        var denied: Bool
    }

    func apply(_ answer: Answer, channel: String, user: String) -> Outcome {
        let allowed: (AccessObject) -> Bool = { policy.allows($0, channel: channel, user: user) }
        if let jobName = answer.parsed.jobName {
            // Rules name jobs (`PAYROLL_*`); a question may name one by HWA's id (`WS#/FOLDER/STREAM.JOB`) or folder
            // path, so the job's own name is what is checked, with the stream the id gives.
            let name = JobNamePattern.baseName(jobName)
            let job = answer.liveStatus?.jobs.first { $0.job.name.caseInsensitiveCompare(name) == .orderedSame }?.job
            let object = AccessObject(
                jobName: name,
                jobStream: job?.jobStreamName ?? answer.parsed.jobStream
                    ?? QualifiedJobName(jobName)?.jobStream.uppercased(),
                workstation: job?.workstation)
            if !allowed(object) { return Outcome(answer: Self.refusal(for: answer), denied: true) }
        } else if let stream = answer.parsed.jobStream, !allowed(AccessObject(jobStream: stream)) {
            return Outcome(answer: Self.refusal(for: answer), denied: true)
        }
        var filtered = answer
        var removed = false
        if var live = filtered.liveStatus {
            let jobs = live.jobs.filter { allowed(AccessObject(job: $0.job)) }
            let streams = live.jobStreams.filter {
                allowed(AccessObject(jobStream: $0.name, workstation: $0.workstation))
            }
            removed = removed || jobs.count != live.jobs.count || streams.count != live.jobStreams.count
            live.jobs = jobs
            live.jobStreams = streams
            filtered.liveStatus = live
        }
        if var health = filtered.health {
            let failures = health.recentFailures.filter { allowed(AccessObject(job: $0)) }
            removed = removed || failures.count != health.recentFailures.count
            health.recentFailures = failures
            filtered.health = health
        }
        if removed { filtered.notices.append(.accessDenied) }
        return Outcome(answer: filtered, denied: false)
    }

    static func refusal(for answer: Answer) -> Answer {
        let headline =
            switch answer.language {
            case .portuguese: "Desculpe, essa informação não está disponível neste canal."
            case .english: "Sorry, that is not available in this channel."
            }
        return Answer(
            id: answer.id, question: answer.question, parsed: answer.parsed, headline: headline,
            notices: [.accessDenied], createdAt: answer.createdAt, elapsedMilliseconds: answer.elapsedMilliseconds)
    }
}
