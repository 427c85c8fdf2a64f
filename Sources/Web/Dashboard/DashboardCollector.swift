import Foundation
import ResyncCore

/// The ports the dashboard reads. Anything missing is shown as missing, never invented.
public struct DashboardSources: Sendable {
    public var scheduler: (any SchedulerAPI)?
    public var knowledge: (any KnowledgeStore)?
    public var alerts: AlertActivityLog
    public var bot: BotActivityMeter
    /// The HWA client's circuit-breaker state, when the client exposes it.
    public var breakerState: (@Sendable () async -> String?)?
    public var time: any TimeSource
    public var failureWindowHours: Int
    /// Upper bound on each outside call of one poll.
    public var callTimeout: Duration

    public init(
        scheduler: (any SchedulerAPI)?, knowledge: (any KnowledgeStore)?, alerts: AlertActivityLog = AlertActivityLog(),
        bot: BotActivityMeter = BotActivityMeter(), breakerState: (@Sendable () async -> String?)? = nil,
        time: any TimeSource = SystemTimeSource(), failureWindowHours: Int = 6, callTimeout: Duration = .seconds(5)
    ) {
        self.scheduler = scheduler
        self.knowledge = knowledge
        self.alerts = alerts
        self.bot = bot
        self.breakerState = breakerState
        self.time = time
        self.failureWindowHours = failureWindowHours
        self.callTimeout = callTimeout
    }
}

/// Reads every port once (in parallel, each with a deadline) and builds the next snapshot from the previous one,
/// keeping the last good scheduler data when HWA cannot be reached.
public struct DashboardCollector: Sendable {
    public let sources: DashboardSources

    public init(sources: DashboardSources) { self.sources = sources }

    struct SchedulerReading: Sendable {
        var info: EngineInfo
        var workstations: [Workstation]
        var counts: [CommonStatus: Int]
        var failed: [Job]
        /// The start of the failure window the jobs were read for.
        var since: Date
    }

    public func collect(previous: DashboardSnapshot) async -> DashboardSnapshot {
        let now = sources.time.now()
        async let schedulerResult = readScheduler(now: now)
        async let knowledge = readKnowledge()
        async let breaker = sources.breakerState?()
        async let alerts = sources.alerts.recent(limit: 15)
        async let bot = sources.bot.summary()

        var next = previous
        next.generatedAt = now
        next.failureWindowHours = sources.failureWindowHours
        switch await schedulerResult {
        case .success(let reading):
            next.engine = .init(
                reachable: true, info: reading.info, breakerState: nil, problem: nil, lastSuccessfulPoll: now)
            next.workstations = reading.workstations.sorted {
                ($0.needsAttention ? 0 : 1, $0.name) < ($1.needsAttention ? 0 : 1, $1.name)
            }
            next.statusCounts = Self.orderedCounts(reading.counts)
            next.failures = Self.failures(reading.failed, since: reading.since)
        case .failure(let problem):
            next.engine.reachable = false
            next.engine.problem = problem.message
        }
        next.engine.breakerState = await breaker
        next.knowledge = await knowledge
        next.alerts = await alerts
        next.bot = await bot
        return next
    }

    func readScheduler(now: Date) async -> Result<SchedulerReading, SchedulerProblem> {
        guard let scheduler = sources.scheduler else {
            return .failure(SchedulerProblem("no HWA client is configured in this process"))
        }
        let since = now.addingTimeInterval(-Double(sources.failureWindowHours) * 3600)
        let timeout = sources.callTimeout
        do {
            async let info = withDeadline(timeout) { try await scheduler.engineInfo() }
            async let workstations = withDeadline(timeout) { try await scheduler.workstations() }
            async let counts = withDeadline(timeout) { try await scheduler.jobCounts() }
            async let failed = withDeadline(timeout) {
                try await scheduler.jobs(matching: .failed(since: since, limit: 200, bypassCache: false))
            }
            return .success(
                SchedulerReading(
                    info: try await info, workstations: try await workstations, counts: try await counts,
                    failed: try await failed, since: since))
        } catch let error as SchedulerError {
            return .failure(SchedulerProblem(error.description))
        } catch let error as DeadlineExceeded {
            return .failure(SchedulerProblem("HWA unreachable: \(error.description)"))
        } catch {
            return .failure(SchedulerProblem("HWA call failed (\(String(reflecting: type(of: error))))"))
        }
    }

    func readKnowledge() async -> DashboardSnapshot.Knowledge {
        guard let knowledge = sources.knowledge else {
            return .init(stats: nil, problem: "no knowledge base is configured in this process")
        }
        do {
            return .init(
                stats: try await withDeadline(sources.callTimeout) { try await knowledge.stats() }, problem: nil)
        } catch {
            return .init(stats: nil, problem: "knowledge base unavailable: \(error)")
        }
    }

    static func orderedCounts(_ counts: [CommonStatus: Int]) -> [DashboardSnapshot.StatusCount] {
        let known = CommonStatus.documented.compactMap { status in
            counts[status].map { DashboardSnapshot.StatusCount(status: status.rawValue, count: $0) }
        }
        let unknown = counts.filter { !CommonStatus.documented.contains($0.key) }
            .sorted { $0.key.rawValue < $1.key.rawValue }
            .map { DashboardSnapshot.StatusCount(status: $0.key.rawValue, count: $0.value) }
        return (known + unknown).filter { $0.count > 0 }
    }

    /// One entry per job with a run that failed since `since`, described by that run (so the list and the
    /// per-hour sparkline place the failure when it happened, even when a rerun has since recovered the job).
    static func failures(_ jobs: [Job], since: Date?) -> [DashboardSnapshot.Failure] {
        jobs.compactMap { job in
            guard let failure = JobFailure(job: job, since: since) else { return nil }
            let run = failure.failedRun
            return DashboardSnapshot.Failure(
                jobName: job.name, qualifiedName: job.qualifiedName, workstation: job.workstation.trimmingLeadingSlash,
                jobStream: job.jobStreamName, status: run.internalStatus?.rawValue ?? run.commonStatus.rawValue,
                returnCode: run.returnCode, endedAt: run.lastActivity,
                recoveredAt: failure.recoveredBy.flatMap(\.lastActivity))
        }
        .sorted { ($0.endedAt ?? .distantPast) > ($1.endedAt ?? .distantPast) }
    }
}

/// Why the scheduler part of a poll failed, in words safe to show.
struct SchedulerProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
