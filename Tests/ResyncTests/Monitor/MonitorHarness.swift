import Foundation
import Logging
import Monitor
import ResyncCore
import Storage
import TestSupport

/// A monitor wired to a scripted plan, a recording publisher and a real database.
struct MonitorHarness {
    let scheduler: ScriptedScheduler
    let publisher: RecordingAlertPublisher
    let store: SQLAlertStateStore
    let clock: MonitorTestClock
    let monitor: FailureMonitor

    static let ops = AlertDestination(platform: .slack, channel: "#ops")

    init(
        database: AppDatabase, scheduler: ScriptedScheduler = ScriptedScheduler(),
        clock: MonitorTestClock = MonitorTestClock(), rules: MonitorRules = MonitorRules(),
        lease: any LeaderLease = SingleInstanceLease(), interval: Duration = .seconds(30),
        publisher: RecordingAlertPublisher = RecordingAlertPublisher(),
        diagnoser: any FailureDiagnosing = KnowledgeDiagnoser(), recoveryChecksPerPoll: Int = 200,
        postingPlatforms: Set<ChatPlatformKind>? = nil, subscriptions: [AlertSubscription] = [],
        defaultDestinations: [AlertDestination] = [Self.ops]
    ) throws {
        self.scheduler = scheduler
        self.publisher = publisher
        self.store = SQLAlertStateStore(database: database)
        self.clock = clock
        var logger = Logger(label: "test.monitor")
        logger.logLevel = .critical
        self.monitor = try FailureMonitor(
            scheduler: scheduler, diagnoser: diagnoser, publisher: publisher, store: store, lease: lease,
            configuration: MonitorConfiguration(
                interval: interval, language: .english, rules: rules, defaultDestinations: defaultDestinations,
                recoveryChecksPerPoll: recoveryChecksPerPoll, postingPlatforms: postingPlatforms,
                subscriptions: subscriptions),
            time: clock, logger: logger)
    }

    /// Starts and fails `name` `secondsAgo` before the clock's now.
    func fail(_ name: String, stream: String = "NIGHTLY", run: String = "1", rc: Int = 12, secondsAgo: Double = 30)
        -> Job
    {
        let job = ScriptedScheduler.job(name, stream: stream)
        if scheduler.current(job.id) == nil { scheduler.add(job) }
        let end = clock.now().addingTimeInterval(-secondsAgo)
        scheduler.start(job.id, runID: "\(job.id)#\(run)", at: end.addingTimeInterval(-60))
        scheduler.finish(job.id, rc: rc, at: end)
        return job
    }
}
