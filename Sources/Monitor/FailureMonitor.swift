import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Settings of the failure monitor; `rules` come from the alert rules file.
public struct MonitorConfiguration: Sendable {
    /// Time between the starts of two polls (`MONITOR_INTERVAL_SECONDS`).
    public var interval: Duration
    public var language: Language
    public var rules: MonitorRules
    /// The ops channels failures go to when no route matches.
    public var defaultDestinations: [AlertDestination]
    /// Each poll asks for failures that ended since the previous poll's start minus this margin, so clock skew
    /// between Resync and the HWA master cannot hide one.
    public var pollOverlap: Duration
    /// Upper bound on failed jobs read per poll (across pages).
    public var fetchLimit: Int
    /// Timeout of each scheduler call.
    public var schedulerTimeout: Duration
    /// Timeout of one diagnosis; past it the alert is posted with its one-line summary only.
    public var diagnosisTimeout: Duration
    /// Diagnoses (and recovery look-ups) in flight at once.
    public var concurrency: Int
    /// Recovery look-ups per poll; the rest wait for the next poll.
    public var recoveryChecksPerPoll: Int
    /// Attempts to queue an alert before giving up on it.
    public var maxPublishAttempts: Int
    /// Platforms configured to post; route destinations on other platforms are dropped (nil: all).
    public var postingPlatforms: Set<ChatPlatformKind>?
    /// Channels that receive every alert about their jobs as well (the access policy's `alertChannels`).
    public var subscriptions: [AlertSubscription]

    public init(
        interval: Duration = .seconds(30), language: Language = .portuguese, rules: MonitorRules = MonitorRules(),
        defaultDestinations: [AlertDestination] = [], pollOverlap: Duration = .seconds(300), fetchLimit: Int = 10_000,
        schedulerTimeout: Duration = .seconds(30), diagnosisTimeout: Duration = .seconds(20), concurrency: Int = 8,
        recoveryChecksPerPoll: Int = 200, maxPublishAttempts: Int = 5, postingPlatforms: Set<ChatPlatformKind>? = nil,
        subscriptions: [AlertSubscription] = []
    ) {
        self.interval = interval
        self.language = language
        self.rules = rules
        self.defaultDestinations = defaultDestinations
        self.pollOverlap = pollOverlap
        self.fetchLimit = fetchLimit
        self.schedulerTimeout = schedulerTimeout
        self.diagnosisTimeout = diagnosisTimeout
        self.concurrency = max(1, concurrency)
        self.recoveryChecksPerPoll = recoveryChecksPerPoll
        self.maxPublishAttempts = max(1, maxPublishAttempts)
        self.postingPlatforms = postingPlatforms
        self.subscriptions = subscriptions
    }
}

/// A channel that receives the alerts about some jobs (glob patterns; none means every job) on top of the
/// route or default destinations.
public struct AlertSubscription: Hashable, Sendable {
    public var destination: AlertDestination
    public var jobs: [String]

    public init(destination: AlertDestination, jobs: [String] = []) {
        self.destination = destination
        self.jobs = jobs
    }

    func covers(_ job: Job) -> Bool {
        jobs.isEmpty || jobs.contains { JobMatcher(job: $0).matches(job) }
    }
}

/// What one poll did.
public struct PollReport: Hashable, Sendable {
    public var failuresSeen = 0
    public var newFailures = 0
    public var muted = 0
    /// Alerts recorded as `unrouted` (no destination) instead of being posted.
    public var unrouted = 0
    public var digestsQueued = 0
    public var alertsQueued = 0
    public var recoveries = 0
    public var closed = 0

    public init() {}
}

/// Turns HWA plan changes into posts: polls for failed jobs, alerts each new failure once (through the
/// agent's diagnosis), groups storms into digests, and replies in the alert's thread when the job recovers.
/// Only the replica holding the leader lease polls.
public final class FailureMonitor: Service, Sendable {
    let scheduler: any SchedulerAPI
    let diagnoser: any FailureDiagnosing
    let publisher: any AlertPublishing
    let store: any AlertStateStore
    let lease: any LeaderLease
    let configuration: MonitorConfiguration
    let policy: AlertPolicy
    let texts: AlertTexts
    let time: any TimeSource
    let logger: Logger
    /// Where posted alerts and recoveries are reported for the dashboard.
    let activity: (any AlertActivityRecording)?

    public init(
        scheduler: any SchedulerAPI, diagnoser: any FailureDiagnosing, publisher: any AlertPublishing,
        store: any AlertStateStore, lease: any LeaderLease, configuration: MonitorConfiguration,
        time: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "resync.monitor"),
        activity: (any AlertActivityRecording)? = nil
    ) throws(MonitorConfigError) {
        try configuration.rules.validate()
        self.scheduler = scheduler
        self.diagnoser = diagnoser
        self.publisher = publisher
        self.store = store
        self.lease = lease
        self.configuration = configuration
        self.policy = try AlertPolicy(
            rules: configuration.rules, defaultDestinations: configuration.defaultDestinations,
            subscriptions: configuration.subscriptions,
            postingPlatforms: configuration.postingPlatforms)
        self.texts = AlertTexts(
            language: configuration.language,
            timeZone: TimeZone(identifier: configuration.rules.displayTimeZone) ?? TimeZone(identifier: "UTC")!)
        self.time = time
        self.logger = logger
        self.activity = activity
        if !policy.unreachableRoutes.isEmpty {
            logger.warning(
                "alert routes skipped: none of their platforms is configured to post",
                metadata: ["routes": "\(policy.unreachableRoutes.joined(separator: ", "))"])
        }
    }

    /// Competes for the lease every interval; while leading, polls every interval until shutdown.
    public func run() async throws {
        if configuration.defaultDestinations.isEmpty && configuration.rules.routes.isEmpty {
            logger.warning("no ops channel is configured: failures are recorded for the dashboard but not posted")
        } else if configuration.defaultDestinations.isEmpty {
            logger.warning(
                "no default ops channel is configured: failures that match no route are recorded, not posted")
        }
        do {
            try await cancelWhenGracefulShutdown { [self] in try await competeForLease() }
        } catch is CancellationError {
            // Shutdown.
        }
    }

    func competeForLease() async throws {
        while !Task.isCancelled {
            do {
                let led = try await lease.whileLeading { [self] in try await lead() }
                if !led { logger.debug("another replica leads the monitor") }
            } catch is CancellationError {
                if Task.isCancelled { return }
                logger.warning("monitor leadership lost; competing again next interval")
            } catch {
                logger.error("monitor leader lease unavailable", metadata: ["error": "\(error)"])
            }
            MonitorMetrics.leading(false)
            try await time.sleep(for: configuration.interval)
        }
    }

    /// Polls at a fixed rate while this replica leads. The first poll catches up from the watermark.
    func lead() async throws {
        MonitorMetrics.leading(true)
        logger.info("leading the failure monitor", metadata: ["interval": "\(configuration.interval)"])
        while true {
            try Task.checkCancellation()
            let started = time.now()
            await pollLogged()
            let elapsed = time.now().timeIntervalSince(started)
            let remaining = configuration.interval.inSeconds - elapsed
            if remaining > 0 { try await time.sleep(for: .milliseconds(Int64(remaining * 1000))) }
        }
    }

    func pollLogged() async {
        let started = time.now()
        do {
            let report = try await pollOnce()
            let seconds = time.now().timeIntervalSince(started)
            MonitorMetrics.poll(outcome: "ok", seconds: seconds)
            if report.newFailures > 0 || report.recoveries > 0 || report.alertsQueued > 0 || report.unrouted > 0 {
                logger.info(
                    "monitor poll",
                    metadata: [
                        "failures": "\(report.failuresSeen)", "new": "\(report.newFailures)",
                        "muted": "\(report.muted)", "unrouted": "\(report.unrouted)",
                        "alerts": "\(report.alertsQueued)", "digests": "\(report.digestsQueued)",
                        "recoveries": "\(report.recoveries)", "seconds": "\(seconds)",
                    ])
            }
        } catch is CancellationError {
            MonitorMetrics.poll(outcome: "cancelled", seconds: time.now().timeIntervalSince(started))
        } catch {
            MonitorMetrics.poll(outcome: "error", seconds: time.now().timeIntervalSince(started))
            logger.error("monitor poll failed; retrying next interval", metadata: ["error": "\(error)"])
        }
    }

    /// One poll: record new failures, queue what is pending, follow recoveries, advance the watermark.
    @discardableResult
    public func pollOnce() async throws -> PollReport {
        let started = time.now()
        var report = PollReport()
        let failed = try await fetchFailures(since: try await pollStart(now: started))
        report.failuresSeen = failed.count
        try await recordNewFailures(failed, now: started, report: &report)
        try await deliverPending(report: &report)
        try await followRecoveries(currentlyFailed: Set(failed.map(FailureKey.init(failedJob:))), report: &report)
        try await store.setWatermark(started)
        return report
    }

    /// Where this poll looks back to: the last poll's start minus the overlap, never before the catch-up window.
    func pollStart(now: Date) async throws -> Date {
        let earliest = now.addingTimeInterval(-configuration.rules.catchUpWindowSeconds)
        guard let watermark = try await store.watermark() else { return earliest }
        return max(earliest, watermark.addingTimeInterval(-configuration.pollOverlap.inSeconds))
    }
}
