import Foundation
import ResyncCore

/// The read-only scheduler operations the agent, the LLM tools and the JSON API use. Each one is a
/// composition of `SchedulerAPI` reads; none can change anything in HWA.
public struct SchedulerTools: Sendable {
    public let scheduler: any SchedulerAPI
    public let time: any TimeSource

    public init(scheduler: any SchedulerAPI, time: any TimeSource = SystemTimeSource()) {
        self.scheduler = scheduler
        self.time = time
    }

    /// Jobs in the plan by name (exact, wildcard, folder path or `WS#STREAM.JOB`), optionally in one stream.
    public func findJobs(named name: String, jobStream: String? = nil, limit: Int = 50) async throws -> [Job] {
        try await scheduler.jobs(matching: JobFilter(name: name, jobStream: jobStream, limit: limit))
    }

    /// Jobs with a run that failed in `since ..< until`, whatever their current state (a job rerun successfully
    /// after the failure is listed too, and `Job.recoveryRun` says so), latest failure first.
    public func failures(
        since: Date?, until: Date? = nil, jobStream: String? = nil, limit: Int = 200
    ) async throws -> [Job] {
        var filter = JobFilter.failed(since: since, limit: limit)
        filter.until = until
        filter.jobStream = jobStream
        let jobs = try await scheduler.jobs(matching: filter)
        // Re-checked here: not every scheduler adapter applies run-level conditions.
        return jobs.filter { !$0.failedRuns(since: since, until: until).isEmpty }
            .sorted { Self.lastFailure($0) > Self.lastFailure($1) }
    }

    /// Engine, workstations, counts and recent failures, read concurrently. Parts that fail are left out;
    /// when every part fails the first error is thrown.
    public func healthSummary(failuresSince since: Date) async throws -> HealthSummary {
        async let engine = Self.capture { try await scheduler.engineInfo() }
        async let workstations = Self.capture { try await scheduler.workstations() }
        async let counts = Self.capture { try await scheduler.jobCounts() }
        async let failures = Self.capture { try await self.failures(since: since) }
        let (engineResult, workstationResult, countResult, failureResult) = await (
            engine, workstations, counts, failures
        )
        let errors = [engineResult.error, workstationResult.error, countResult.error, failureResult.error]
        if errors.allSatisfy({ $0 != nil }), let first = errors.compactMap({ $0 }).first { throw first }
        let stations = (try? workstationResult.get()) ?? []
        let failed = (try? failureResult.get()) ?? []
        var countsByStatus: [String: Int] = [:]
        for (status, count) in (try? countResult.get()) ?? [:] { countsByStatus[status.rawValue] = count }
        return HealthSummary(
            engine: try? engineResult.get(), workstationsNeedingAttention: stations.filter(\.needsAttention),
            workstationCount: stations.count, countsByStatus: countsByStatus, recentFailures: failed,
            topFailingStreams: Self.topFailingStreams(failed))
    }

    /// Job streams by name and their jobs (for the failing ones), read concurrently.
    public func jobStreamStatus(named name: String, limit: Int = 20) async throws -> (streams: [JobStream], jobs: [Job])
    {
        async let streams = scheduler.jobStreams(named: name, limit: limit)
        async let jobs = Self.capture { try await scheduler.jobs(matching: JobFilter(jobStream: name, limit: 200)) }
        return (try await streams, (try? await jobs.get()) ?? [])
    }

    /// The redacted tail of a job's last run, or nil when it has never run.
    public func redactedLog(of job: Job, lines: Int) async throws -> JobLog? {
        guard let run = job.lastRun else { return nil }
        var log = try await scheduler.jobLog(runID: run.id, tail: lines)
        log.lines = log.lines.suffix(lines).map(Redactor.redactLogLine)
        return log
    }

    /// The job with its dependencies (the list call may leave them out).
    public func withDependencies(_ job: Job) async throws -> Job {
        let detailed = try await scheduler.job(id: job.id)
        return detailed.dependencies.isEmpty && !job.dependencies.isEmpty ? job : detailed
    }

    /// Plan job names close to `name` (edit distance, or containing it), closest first.
    public func suggestions(for name: String, limit: Int = 5) async throws -> [String] {
        let plan = try await scheduler.jobs(matching: JobFilter(limit: 2_000))
        return NameSuggester.closest(to: name, among: plan.map(\.name), limit: limit)
    }

    /// When the job's last failed run ended (or started); distant past when it never failed.
    public static func lastFailure(_ job: Job) -> Date {
        job.lastFailedRun?.lastActivity ?? .distantPast
    }

    static func topFailingStreams(_ failures: [Job], limit: Int = 5) -> [HealthSummary.StreamFailureCount] {
        let counts = Dictionary(grouping: failures, by: \.jobStreamName).mapValues(\.count)
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map {
            HealthSummary.StreamFailureCount(jobStream: $0.key, failures: $0.value)
        }
    }

    static func capture<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Close names for "did you mean…?".
public enum NameSuggester {
    public static func closest(to name: String, among names: [String], limit: Int) -> [String] {
        let wanted = name.uppercased()
        let threshold = max(2, wanted.count / 3)
        var scored: [(String, Int)] = []
        for candidate in Set(names.map { $0.uppercased() }) {
            let distance = editDistance(wanted, candidate)
            if distance <= threshold || (wanted.count >= 3 && candidate.contains(wanted)) {
                scored.append((candidate, distance))
            }
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance over characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
