import Foundation
import ResyncCore
import Synchronization

/// An in-memory `SchedulerAPI` with injectable latency and failures, for tests of anything that reads
/// the plan. Every call is recorded by name so a test can prove what was (and was not) asked.
public final class FakeScheduler: SchedulerAPI {
    public struct State: Sendable {
        public var jobs: [Job]
        public var jobStreams: [JobStream]
        public var workstations: [Workstation]
        public var engine: EngineInfo
        /// Log lines per run id.
        public var logs: [String: [String]]
        /// Added to every call before it answers.
        public var latency: Duration
        /// When set, every call fails with it (after the latency).
        public var failure: SchedulerError?
        public var calls: [String]
    }

    private let state: Mutex<State>

    public init(
        jobs: [Job] = [], jobStreams: [JobStream] = [], workstations: [Workstation] = [],
        engine: EngineInfo = EngineInfo(version: "10.2.5", timeZone: "America/Sao_Paulo", masterWorkstation: "MDM"),
        logs: [String: [String]] = [:], latency: Duration = .zero, failure: SchedulerError? = nil
    ) {
        state = Mutex(
            State(
                jobs: jobs, jobStreams: jobStreams, workstations: workstations, engine: engine, logs: logs,
                latency: latency, failure: failure, calls: []))
    }

    public func update(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }

    public var calls: [String] { state.withLock { $0.calls } }

    public func setFailure(_ failure: SchedulerError?) { update { $0.failure = failure } }
    public func setLatency(_ latency: Duration) { update { $0.latency = latency } }

    private func enter(_ call: String) async throws -> State {
        let snapshot = state.withLock { state -> State in
            state.calls.append(call)
            return state
        }
        if snapshot.latency > .zero { try await Task.sleep(for: snapshot.latency) }
        if let failure = snapshot.failure { throw failure }
        return snapshot
    }

    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        let snapshot = try await enter("jobs")
        return Array(snapshot.jobs.filter { Self.matches($0, filter) }.prefix(filter.limit))
    }

    public func job(id: String) async throws -> Job {
        let snapshot = try await enter("job")
        guard let job = snapshot.jobs.first(where: { $0.id == id }) else { throw SchedulerError.notFound("job \(id)") }
        return job
    }

    public func jobStreams(named name: String, limit: Int) async throws -> [JobStream] {
        let snapshot = try await enter("jobStreams")
        return Array(snapshot.jobStreams.filter { WildcardName.matches(pattern: name, name: $0.name) }.prefix(limit))
    }

    public func workstations() async throws -> [Workstation] {
        try await enter("workstations").workstations
    }

    public func engineInfo() async throws -> EngineInfo {
        try await enter("engineInfo").engine
    }

    public func jobCounts() async throws -> [CommonStatus: Int] {
        let snapshot = try await enter("jobCounts")
        return snapshot.jobs.reduce(into: [:]) { counts, job in counts[job.commonStatus, default: 0] += 1 }
    }

    public func jobLog(runID: String, tail: Int) async throws -> JobLog {
        let snapshot = try await enter("jobLog")
        guard let lines = snapshot.logs[runID] else { throw SchedulerError.notFound("log of run \(runID)") }
        return JobLog(runID: runID, lines: Array(lines.suffix(tail)), truncated: lines.count > tail)
    }

    static func matches(_ job: Job, _ filter: JobFilter) -> Bool {
        if let name = filter.name, !nameMatches(job, name) { return false }
        if let stream = filter.jobStream, !WildcardName.matches(pattern: stream, name: job.jobStreamName) {
            return false
        }
        if let workstation = filter.workstation, !WildcardName.matches(pattern: workstation, name: job.workstation) {
            return false
        }
        // Run-level conditions (one run both failed and happened in the window) as the HWA client checks them.
        if filter.runs == .anyRun { return filter.admitsRuns(of: job) }
        if !filter.commonStatuses.isEmpty || !filter.internalStatuses.isEmpty {
            let common = filter.commonStatuses.contains(job.lastRun?.commonStatus ?? job.commonStatus)
            let internalStatus = (job.lastRun?.internalStatus ?? job.internalStatus).map {
                filter.internalStatuses.contains($0)
            }
            if !common && internalStatus != true { return false }
        }
        let instant = job.lastRun.flatMap { $0.endTime ?? $0.startTime }
        if let since = filter.since, (instant ?? .distantPast) < since { return false }
        if let until = filter.until, (instant ?? .distantFuture) > until { return false }
        return true
    }

    static func nameMatches(_ job: Job, _ name: String) -> Bool {
        // As OQL does: `WS#STREAM.JOB` leaves the folder open, `WS#/FOLDER/STREAM.JOB` names it.
        if let hash = name.firstIndex(of: "#") {
            let named = job.qualifiedName(withFolder: name[hash...].contains("/"))
            return named.uppercased() == name.uppercased()
        }
        if name.hasPrefix("/") {
            let folder = job.folder.hasSuffix("/") ? job.folder : job.folder + "/"
            return (folder + job.name).uppercased() == name.uppercased()
        }
        return WildcardName.matches(pattern: name, name: job.name)
    }
}

/// HWA-style wildcards: `*` and `@` match any run of characters, `?` one character; case-insensitive.
public enum WildcardName {
    public static func matches(pattern: String, name: String) -> Bool {
        let pattern = Array(pattern.uppercased())
        let name = Array(name.uppercased())
        var memo: [Int: Bool] = [:]
        func match(_ p: Int, _ n: Int) -> Bool {
            let key = p * (name.count + 1) + n
            if let known = memo[key] { return known }
            let result: Bool
            if p == pattern.count {
                result = n == name.count
            } else if pattern[p] == "*" || pattern[p] == "@" {
                result = match(p + 1, n) || (n < name.count && match(p, n + 1))
            } else if n < name.count && (pattern[p] == "?" || pattern[p] == name[n]) {
                result = match(p + 1, n + 1)
            } else {
                result = false
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
