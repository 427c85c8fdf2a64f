import Foundation
import ResyncCore
import Synchronization

/// A scheduler whose plan a test edits while the dashboard polls it; `unreachable` makes every call fail the way
/// an HWA outage does.
public actor WebFakeScheduler: SchedulerAPI {
    public var engine: EngineInfo
    public var planJobs: [Job]
    public var planWorkstations: [Workstation]
    public var unreachable = false
    public private(set) var calls = 0

    public init(
        engine: EngineInfo = EngineInfo(version: "10.2.3", timeZone: "America/Sao_Paulo", engineType: "distributed"),
        jobs: [Job] = [], workstations: [Workstation] = []
    ) {
        self.engine = engine
        self.planJobs = jobs
        self.planWorkstations = workstations
    }

    public func setJobs(_ jobs: [Job]) { planJobs = jobs }
    public func setWorkstations(_ workstations: [Workstation]) { planWorkstations = workstations }
    public func setUnreachable(_ value: Bool) { unreachable = value }

    private func guardReachable() throws {
        calls += 1
        if unreachable { throw SchedulerError.unreachable("connection refused by hwa.test:31116") }
    }

    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        try guardReachable()
        return planJobs.filter { job in
            // Failures in a window are read run by run: a job rerun successfully after failing still counts.
            if filter.runs == .anyRun {
                return filter.admitsRuns(of: job) && (filter.name.map { $0 == job.name } ?? true)
            }
            let statusMatch =
                (filter.commonStatuses.isEmpty && filter.internalStatuses.isEmpty)
                || filter.commonStatuses.contains(job.commonStatus)
                || job.internalStatus.map { filter.internalStatuses.contains($0) } == true
            return statusMatch && (filter.name.map { $0 == job.name } ?? true)
        }
    }

    public func job(id: String) async throws -> Job {
        try guardReachable()
        guard let job = planJobs.first(where: { $0.id == id }) else { throw SchedulerError.notFound(id) }
        return job
    }

    public func jobStreams(named name: String, limit: Int) async throws -> [JobStream] {
        try guardReachable()
        return []
    }

    public func workstations() async throws -> [Workstation] {
        try guardReachable()
        return planWorkstations
    }

    public func engineInfo() async throws -> EngineInfo {
        try guardReachable()
        return engine
    }

    public func jobCounts() async throws -> [CommonStatus: Int] {
        try guardReachable()
        return Dictionary(grouping: planJobs, by: \.commonStatus).mapValues(\.count)
    }

    public func jobLog(runID: String, tail: Int) async throws -> JobLog {
        try guardReachable()
        return JobLog(runID: runID, lines: [], truncated: false)
    }

    /// A job in the plan, failed or not, for building scenarios tersely.
    public static func job(
        _ name: String, status: CommonStatus, internal internalStatus: InternalStatus? = nil, returnCode: Int? = nil,
        endedAt: Date? = nil, workstation: String = "/CPU_PROD1", stream: String = "DAILY_BATCH"
    ) -> Job {
        let run = JobRun(
            id: "run-\(name)", commonStatus: status, internalStatus: internalStatus, returnCode: returnCode,
            startTime: endedAt?.addingTimeInterval(-60), endTime: endedAt)
        return Job(
            id: "job-\(name)", name: name, workstation: workstation, jobStreamName: stream, commonStatus: status,
            internalStatus: internalStatus, runs: [run])
    }
}

/// Knowledge base statistics on demand.
public struct WebFakeKnowledge: KnowledgeStore {
    public var statistics: KnowledgeStats

    public init(statistics: KnowledgeStats) { self.statistics = statistics }

    public func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] { [] }
    public func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        KnowledgeReplaceOutcome(created: 0, updated: 0, unchanged: 0, removed: 0)
    }
    public func entry(key: String) async throws -> KnowledgeEntry? { nil }
    public func stats() async throws -> KnowledgeStats { statistics }
}

/// A clock a test sets by hand; `sleep` really sleeps, so loops still pace themselves.
public final class WebManualClock: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
