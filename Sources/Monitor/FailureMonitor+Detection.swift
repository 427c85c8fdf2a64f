import Foundation
import Logging
import ResyncCore

extension FailureMonitor {
    /// Failed jobs whose last run ended since `since`, fresh from HWA (cache bypassed), one per failure key.
    func fetchFailures(since: Date) async throws -> [Job] {
        let filter = JobFilter(
            commonStatuses: policy.failedCommon, internalStatuses: policy.failedInternal, since: since,
            limit: configuration.fetchLimit, bypassCache: true)
        let scheduler = scheduler
        let jobs = try await withDeadline(configuration.schedulerTimeout) { try await scheduler.jobs(matching: filter) }
        var seen = Set<FailureKey>()
        return jobs.filter { policy.isFailure($0) && seen.insert(FailureKey(failedJob: $0)).inserted }
    }

    /// Records every failure not seen before: muted ones as `muted`, the rest as `pending`, grouped under a
    /// digest per route when a route has a storm.
    func recordNewFailures(_ failed: [Job], now: Date, report: inout PollReport) async throws {
        let known = try await store.knownKeys(failed.map(FailureKey.init(failedJob:)))
        let fresh = failed.filter { !known.contains(FailureKey(failedJob: $0)) }
        MonitorMetrics.failures("known", failed.count - fresh.count)
        guard !fresh.isEmpty else { return }
        var alerts: [AlertRecord] = []
        for job in fresh.sorted(by: Self.failureOrder) {
            let failedAt = job.lastRun?.endTime
            let decision = policy.decide(job, failedAt: failedAt ?? now)
            alerts.append(
                AlertRecord(
                    key: FailureKey(failedJob: job), job: job, failedAt: failedAt, detectedAt: now,
                    route: decision.route, destinations: decision.destinations,
                    status: decision.quietReason == nil ? .pending : .muted, quietReason: decision.quietReason))
        }
        let digests = try await groupStorms(&alerts, now: now)
        let inserted = try await store.record(alerts: alerts, digests: digests)
        let insertedAlerts = alerts.filter { inserted.contains($0.id) }
        report.newFailures = insertedAlerts.count
        report.muted = insertedAlerts.count(where: { $0.status == .muted })
        MonitorMetrics.failures("new", report.newFailures - report.muted)
        MonitorMetrics.failures("muted", report.muted)
        for alert in insertedAlerts where alert.status == .muted {
            logger.info(
                "failure muted",
                metadata: ["job": "\(alert.job.qualifiedName)", "reason": "\(alert.quietReason ?? "")"])
        }
    }

    /// For each route with more than `threshold` new failures (counting the storm window), makes one digest
    /// and points those alerts at it. While a route's storm lasts (a digest within the window), its new
    /// failures join that digest's thread instead of starting another.
    func groupStorms(_ alerts: inout [AlertRecord], now: Date) async throws -> [DigestRecord] {
        let storm = configuration.rules.storm
        var byRoute: [String: [Int]] = [:]
        for index in alerts.indices where alerts[index].status == .pending && !alerts[index].destinations.isEmpty {
            byRoute[alerts[index].route, default: []].append(index)
        }
        var digests: [DigestRecord] = []
        for route in byRoute.keys.sorted() {
            guard let indices = byRoute[route] else { continue }
            var recent = 0
            if storm.windowSeconds > 0 {
                let windowStart = now.addingTimeInterval(-storm.windowSeconds)
                if let ongoing = try await store.recentDigest(route: route, since: windowStart) {
                    for index in indices { alerts[index].digestID = ongoing.id }
                    continue
                }
                recent = try await store.alertCount(route: route, since: windowStart)
            }
            guard indices.count + recent > storm.threshold else { continue }
            let jobs = indices.map { alerts[$0].job }
            let since = indices.compactMap { alerts[$0].failedAt }.min() ?? now
            // Subscriptions can give the route's alerts different destinations: the digest goes to all of them.
            var destinations: [AlertDestination] = []
            for index in indices {
                for destination in alerts[index].destinations where !destinations.contains(destination) {
                    destinations.append(destination)
                }
            }
            let digest = DigestRecord(
                route: route, destinations: destinations,
                text: texts.digest(jobs: jobs, since: since),
                jobCount: indices.count, createdAt: now)
            for index in indices { alerts[index].digestID = digest.id }
            digests.append(digest)
        }
        return digests
    }

    /// Oldest failure first; ties by name, so a digest's thread reads in a stable order.
    static func failureOrder(_ left: Job, _ right: Job) -> Bool {
        let leftEnd = left.lastRun?.endTime ?? .distantPast
        let rightEnd = right.lastRun?.endTime ?? .distantPast
        return leftEnd != rightEnd ? leftEnd < rightEnd : left.qualifiedName < right.qualifiedName
    }
}

/// Maps `items` with at most `concurrency` operations in flight, keeping the input order.
func boundedMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], concurrency: Int, _ transform: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        while next < min(concurrency, items.count) {
            let index = next
            group.addTask { (index, await transform(items[index])) }
            next += 1
        }
        for await (index, result) in group {
            results[index] = result
            if next < items.count {
                let index = next
                group.addTask { (index, await transform(items[index])) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}
