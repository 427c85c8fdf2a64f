import Foundation
import Logging
import ResyncCore

extension FailureMonitor {
    static let pendingBatch = 5_000

    /// Queues every pending digest, then every pending alert (in its digest's thread when it has one).
    /// Publishing is idempotent per key, so what a crash interrupted is simply queued again here.
    func deliverPending(report: inout PollReport) async throws {
        var digests: [String: DigestRecord] = [:]
        for digest in try await store.pendingDigests(limit: Self.pendingBatch) {
            if let posted = await publishDigest(digest) {
                digests[digest.id] = posted
                report.digestsQueued += 1
            }
        }
        var ready: [(AlertRecord, [AlertDestination: AlertMessageRef])] = []
        var unrouted: [AlertRecord] = []
        for alert in try await store.pendingAlerts(limit: Self.pendingBatch) {
            // Publishing to no destination "succeeds" with nothing sent: such an alert must not become `posted`
            // (and then be followed for a recovery no one would see).
            guard !alert.destinations.isEmpty else {
                unrouted.append(alert)
                continue
            }
            guard let parents = try await threadParents(for: alert, known: &digests) else { continue }
            ready.append((alert, parents))
        }
        try await recordUnrouted(unrouted, report: &report)
        let messages = await boundedMap(ready.map(\.0), concurrency: configuration.concurrency) { [self] alert in
            await compose(alert)
        }
        // Alerts are marked posted in batches: one transaction per batch instead of one per alert. A crash before
        // a batch is recorded only re-queues its alerts, which publishing by key makes harmless.
        var queued: [QueuedAlert] = []
        for ((alert, parents), message) in zip(ready, messages) {
            if let refs = await publishAlert(alert, message, parents) {
                queued.append(QueuedAlert(alert: alert, message: message, refs: refs))
            }
            if queued.count >= Self.postedBatch { try await recordPosted(&queued, report: &report) }
        }
        try await recordPosted(&queued, report: &report)
    }

    static let postedBatch = 250

    static let unroutedReason = "no destination: no route matched and no default ops channel is configured"

    /// Records alerts that had nowhere to go as `unrouted`, with one warning per poll that has any.
    func recordUnrouted(_ alerts: [AlertRecord], report: inout PollReport) async throws {
        guard !alerts.isEmpty else { return }
        try await store.markUnrouted(alertIDs: alerts.map(\.id), reason: Self.unroutedReason)
        report.unrouted += alerts.count
        MonitorMetrics.unrouted(alerts.count)
        logger.warning(
            """
            failures not posted: no route matched and no default ops channel is configured \
            (SLACK_OPS_CHANNEL, MATTERMOST_OPS_CHANNEL_ID, TEAMS_WORKFLOW_URL or a route in the rules file)
            """,
            metadata: [
                "count": "\(alerts.count)",
                "jobs": "\(alerts.prefix(5).map(\.job.qualifiedName).joined(separator: ", "))",
            ])
    }

    struct QueuedAlert {
        var alert: AlertRecord
        var message: AlertMessage
        var refs: [AlertMessageRef]
    }

    func recordPosted(_ queued: inout [QueuedAlert], report: inout PollReport) async throws {
        guard !queued.isEmpty else { return }
        let now = time.now()
        try await store.markPosted(queued.map { PostedAlert(alertID: $0.alert.id, messages: $0.refs) }, at: now)
        report.alertsQueued += queued.count
        for item in queued where !item.refs.isEmpty {
            await activity?.record(
                AlertActivity(kind: .alert, jobName: item.alert.job.name, summary: item.message.text, at: now))
            MonitorMetrics.sent("alert")
            if let failedAt = item.alert.failedAt { MonitorMetrics.lag(seconds: now.timeIntervalSince(failedAt)) }
        }
        queued.removeAll(keepingCapacity: true)
    }

    /// The digest messages an alert replies under, per destination; nil while its digest is not queued yet.
    func threadParents(for alert: AlertRecord, known digests: inout [String: DigestRecord]) async throws
        -> [AlertDestination: AlertMessageRef]?
    {
        guard let digestID = alert.digestID else { return [:] }
        if digests[digestID] == nil, let digest = try await store.digest(id: digestID) { digests[digestID] = digest }
        guard let digest = digests[digestID] else { return [:] }
        switch digest.status {
        case .pending: return nil
        // A digest that could not be queued must not take its alerts with it: they go out on their own.
        case .failed: return [:]
        case .posted:
            return Dictionary(digest.messages.map { ($0.destination, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    func publishDigest(_ digest: DigestRecord) async -> DigestRecord? {
        let message = AlertMessage(kind: .digest, text: digest.text)
        do {
            var refs: [AlertMessageRef] = []
            for destination in digest.destinations {
                refs.append(
                    try await publisher.publish(
                        message, to: destination, inThreadOf: nil, key: "monitor:digest:\(digest.id):\(destination)"))
            }
            let now = time.now()
            try await store.markDigestPosted(digestID: digest.id, messages: refs, at: now)
            MonitorMetrics.digest()
            MonitorMetrics.sent("digest")
            var posted = digest
            posted.status = .posted
            posted.messages = refs
            posted.postedAt = now
            return posted
        } catch {
            await noteFailedAttempt(alertID: nil, digestID: digest.id, error: error)
            return nil
        }
    }

    /// The agent's diagnosis of the failure, or the one-line summary alone when it takes too long.
    func compose(_ alert: AlertRecord) async -> AlertMessage {
        let summary = texts.failure(job: alert.job, failedAt: alert.failedAt)
        let diagnoser = diagnoser
        let language = configuration.language
        let job = alert.job
        do {
            let answer = try await withDeadline(configuration.diagnosisTimeout) {
                await diagnoser.diagnose(job, language: language)
            }
            return AlertMessage(kind: .failure, text: summary, answer: answer, jobName: job.name)
        } catch {
            logger.warning(
                "diagnosis did not finish in time; posting the failure without it",
                metadata: ["job": "\(job.qualifiedName)", "error": "\(error)"])
            return AlertMessage(kind: .failure, text: summary, jobName: job.name)
        }
    }

    /// Queues the alert's message on each destination; nil (and a failed attempt counted) when one fails.
    func publishAlert(_ alert: AlertRecord, _ message: AlertMessage, _ parents: [AlertDestination: AlertMessageRef])
        async -> [AlertMessageRef]?
    {
        do {
            var refs: [AlertMessageRef] = []
            for destination in alert.destinations {
                refs.append(
                    try await publisher.publish(
                        message, to: destination, inThreadOf: parents[destination],
                        key: "monitor:alert:\(alert.id):\(destination)"))
            }
            return refs
        } catch {
            await noteFailedAttempt(alertID: alert.id, digestID: nil, error: error)
            return nil
        }
    }

    func noteFailedAttempt(alertID: String?, digestID: String?, error: any Error) async {
        MonitorMetrics.publishError()
        logger.error(
            "cannot queue a monitor message; retrying next poll",
            metadata: ["alert": "\(alertID ?? "-")", "digest": "\(digestID ?? "-")", "error": "\(error)"])
        do {
            try await store.recordFailedAttempt(
                alertID: alertID, digestID: digestID, error: "\(error)", maxAttempts: configuration.maxPublishAttempts)
        } catch {
            logger.error("cannot record the failed attempt", metadata: ["error": "\(error)"])
        }
    }
}
