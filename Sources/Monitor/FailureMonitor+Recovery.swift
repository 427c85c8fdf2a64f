import Foundation
import Logging
import ResyncCore

extension FailureMonitor {
    /// What a look-up found about an alert's job.
    enum FollowUp: Sendable {
        case stillFailed
        case recovered(Job, AlertRecovery)
        case leftPlan
        case unknown
    }

    /// Replies in the thread of each posted alert whose job has since succeeded; stops following alerts
    /// whose job left the plan or whose follow-up window ended. Look-ups are capped per poll and rotate,
    /// least recently checked first, so every open alert gets its turn.
    func followRecoveries(currentlyFailed: Set<FailureKey>, report: inout PollReport) async throws {
        let now = time.now()
        // Least recently checked first: the still-failing ones (skipped below) plus one poll's worth of checks.
        let window = min(Self.pendingBatch, configuration.recoveryChecksPerPoll + currentlyFailed.count)
        let open = try await store.openAlerts(limit: window)
        let horizon = now.addingTimeInterval(-configuration.rules.followUpHours * 3600)
        let expired = open.filter { $0.detectedAt < horizon }.map(\.id)
        var toCheck = open.filter { $0.detectedAt >= horizon && !currentlyFailed.contains($0.key) }
        toCheck = Array(toCheck.prefix(configuration.recoveryChecksPerPoll))
        let scheduler = scheduler
        let timeout = configuration.schedulerTimeout
        let findings = await boundedMap(toCheck, concurrency: configuration.concurrency) { alert in
            await Self.followUp(alert, scheduler: scheduler, timeout: timeout, now: now)
        }
        try await store.markChecked(alertIDs: toCheck.map(\.id), at: now)
        var leftPlan: [String] = []
        for (alert, finding) in zip(toCheck, findings) {
            switch finding {
            case .recovered(let job, let recovery):
                if await replyRecovered(alert, job: job, recovery: recovery) { report.recoveries += 1 }
            case .leftPlan: leftPlan.append(alert.id)
            case .stillFailed, .unknown: break
            }
        }
        if !expired.isEmpty { try await store.close(alertIDs: expired, reason: "follow-up window ended") }
        if !leftPlan.isEmpty { try await store.close(alertIDs: leftPlan, reason: "the job left the plan") }
        report.closed = expired.count + leftPlan.count
    }

    static func followUp(_ alert: AlertRecord, scheduler: any SchedulerAPI, timeout: Duration, now: Date) async
        -> FollowUp
    {
        let job: Job
        do {
            job = try await withDeadline(timeout) { try await scheduler.job(id: alert.key.jobID) }
        } catch SchedulerError.notFound {
            return .leftPlan
        } catch {
            return .unknown
        }
        guard let run = job.lastRun else { return .unknown }
        let succeeded = run.commonStatus == .successful || run.internalStatus == .succ
        guard succeeded else { return run.isFailure ? .stillFailed : .unknown }
        let rerun = job.runs.count > 1 ? job.runs.count - 1 : (run.isRerun ? 1 : nil)
        return .recovered(job, AlertRecovery(at: run.endTime ?? now, returnCode: run.returnCode, rerun: rerun))
    }

    func replyRecovered(_ alert: AlertRecord, job: Job, recovery: AlertRecovery) async -> Bool {
        let message = AlertMessage(
            kind: .recovery, text: texts.recovery(job: job, recovery: recovery), jobName: job.name)
        do {
            var replies: [AlertMessageRef] = []
            for parent in alert.messages {
                replies.append(
                    try await publisher.publish(
                        message, to: parent.destination, inThreadOf: parent,
                        key: "monitor:recovery:\(alert.id):\(parent.destination)"))
            }
            try await store.markRecovered(alertID: alert.id, recovery: recovery, replies: replies)
            MonitorMetrics.recovery()
            if !replies.isEmpty {
                MonitorMetrics.sent("recovery")
                await activity?.record(
                    AlertActivity(kind: .recovery, jobName: job.name, summary: message.text, at: time.now()))
            }
            return true
        } catch {
            MonitorMetrics.publishError()
            logger.error(
                "cannot queue a recovery reply; retrying next poll",
                metadata: ["alert": "\(alert.id)", "error": "\(error)"])
            return false
        }
    }
}
