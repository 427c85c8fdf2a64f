import Foundation
import ResyncCore
import Synchronization

/// A plan whose jobs a test changes over (test) time: a job starts (EXEC), fails (ABEND), is rerun and
/// succeeds. Implements the read side the monitor uses, with HWA's filter semantics, and counts calls.
public final class ScriptedScheduler: SchedulerAPI {
    struct State {
        var jobs: [String: Job] = [:]
        var order: [String] = []
        var failure: SchedulerError?
        var listCalls = 0
        var lookupCalls = 0
    }

    private let state = Mutex(State())

    public init(jobs: [Job] = []) {
        for job in jobs { add(job) }
    }

    /// A job waiting in the plan.
    public static func job(
        _ name: String, id: String? = nil, stream: String = "NIGHTLY", workstation: String = "AGT01"
    ) -> Job {
        Job(
            id: id ?? "\(workstation).\(stream).\(name)", name: name, workstation: workstation, jobStreamName: stream,
            commonStatus: .waiting, internalStatus: .hold)
    }

    public func add(_ job: Job) {
        state.withLock { state in
            if state.jobs[job.id] == nil { state.order.append(job.id) }
            state.jobs[job.id] = job
        }
    }

    public func remove(jobID: String) {
        state.withLock { state in
            state.jobs[jobID] = nil
            state.order.removeAll { $0 == jobID }
        }
    }

    /// Starts a new run (EXEC); a run after the first is a rerun.
    public func start(_ jobID: String, runID: String, at: Date) {
        update(jobID) { job in
            job.runs.append(
                JobRun(
                    id: runID, jobNumber: 1000 + job.runs.count, commonStatus: .running, internalStatus: .exec,
                    startTime: at, isRerun: !job.runs.isEmpty))
        }
    }

    /// Ends the current run: ABEND with `rc`, or SUCC when `rc` is 0.
    public func finish(_ jobID: String, rc: Int, at: Date) {
        update(jobID) { job in
            guard var run = job.runs.popLast() else { return }
            run.returnCode = rc
            run.endTime = at
            run.commonStatus = rc == 0 ? .successful : .error
            run.internalStatus = rc == 0 ? .succ : .abend
            job.runs.append(run)
        }
    }

    /// Starts and fails `count` jobs of `stream` at once (a storm).
    public func failMany(_ count: Int, stream: String, at: Date, rc: Int = 8) -> [Job] {
        (0..<count).map { index in
            let job = Self.job(String(format: "JOB_%05d", index), stream: stream)
            add(job)
            start(job.id, runID: "\(job.id)#1", at: at.addingTimeInterval(-60))
            finish(job.id, rc: rc, at: at)
            return job
        }
    }

    /// Makes every call fail with `error` until cleared with nil.
    public func setFailure(_ error: SchedulerError?) {
        state.withLock { $0.failure = error }
    }

    public var listCalls: Int { state.withLock { $0.listCalls } }
    public var lookupCalls: Int { state.withLock { $0.lookupCalls } }

    public func current(_ jobID: String) -> Job? { state.withLock { $0.jobs[jobID] } }

    func update(_ jobID: String, _ change: (inout Job) -> Void) {
        state.withLock { state in
            guard var job = state.jobs[jobID] else { return }
            change(&job)
            if let run = job.runs.last {
                job.commonStatus = run.commonStatus
                job.internalStatus = run.internalStatus
            }
            state.jobs[jobID] = job
        }
    }

    // MARK: SchedulerAPI

    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        try state.withLock { state in
            state.listCalls += 1
            if let failure = state.failure { throw failure }
            var result: [Job] = []
            for id in state.order {
                guard let job = state.jobs[id], Self.matches(job, filter) else { continue }
                result.append(job)
                if result.count >= filter.limit { break }
            }
            return result
        }
    }

    static func matches(_ job: Job, _ filter: JobFilter) -> Bool {
        let statusFilter = !filter.commonStatuses.isEmpty || !filter.internalStatuses.isEmpty
        if statusFilter {
            let common = filter.commonStatuses.contains(job.commonStatus)
            let internalMatch = job.internalStatus.map(filter.internalStatuses.contains) ?? false
            guard common || internalMatch else { return false }
        }
        if let since = filter.since {
            guard let run = job.lastRun, let instant = run.endTime ?? run.startTime, instant >= since else {
                return false
            }
        }
        if let stream = filter.jobStream, stream != job.jobStreamName { return false }
        return true
    }

    public func job(id: String) async throws -> Job {
        try state.withLock { state in
            state.lookupCalls += 1
            if let failure = state.failure { throw failure }
            guard let job = state.jobs[id] else { throw SchedulerError.notFound("job \(id)") }
            return job
        }
    }

    public func jobStreams(named name: String, limit: Int) async throws -> [JobStream] { [] }
    public func workstations() async throws -> [Workstation] { [] }
    public func engineInfo() async throws -> EngineInfo { EngineInfo(version: "10.2.5") }

    public func jobCounts() async throws -> [CommonStatus: Int] {
        state.withLock { state in
            var counts: [CommonStatus: Int] = [:]
            for job in state.jobs.values { counts[job.commonStatus, default: 0] += 1 }
            return counts
        }
    }

    public func jobLog(runID: String, tail: Int) async throws -> JobLog {
        JobLog(runID: runID, lines: ["EQQ0001 job failed", "password=hunter2 RC=12"], truncated: false)
    }
}
