import Foundation

extension JobRun {
    /// When the run ended, or started when it has not ended yet.
    public var lastActivity: Date? { endTime ?? startTime }

    /// True when the run ended (or, unfinished, started) in `since ..< until`; a run with no time is in no
    /// bounded window.
    public func happened(since: Date?, until: Date? = nil) -> Bool {
        guard since != nil || until != nil else { return true }
        guard let instant = lastActivity else { return false }
        if let since, instant < since { return false }
        if let until, instant >= until { return false }
        return true
    }
}

extension Job {
    /// The runs that failed and ended (or, unfinished, started) in `since ..< until`, oldest first, whatever the
    /// job's current state. A job has failed in a window when this is not empty.
    public func failedRuns(since: Date?, until: Date? = nil) -> [JobRun] {
        runs.filter { $0.isFailure && $0.happened(since: since, until: until) }
    }

    /// The job's most recent failed run, if any.
    public var lastFailedRun: JobRun? { runs.last(where: \.isFailure) }

    /// The first successful run after the job's last failed run: the rerun that recovered it. Nil when the job
    /// never failed, or when no run has succeeded since its last failure (still failed, or a rerun still going).
    public var recoveryRun: JobRun? {
        guard let failed = runs.lastIndex(where: \.isFailure) else { return nil }
        return runs[runs.index(after: failed)...].first { $0.commonStatus == .successful }
    }

    /// True when the job failed and a later run succeeded.
    public var isRecovered: Bool { recoveryRun != nil }
}

extension JobFilter {
    /// True when `job` meets the filter's status and time conditions, on its last run or on one of its runs as
    /// `runs` says. Name, stream and workstation are left to the server, which matches them exactly.
    public func admitsRuns(of job: Job) -> Bool {
        switch runs {
        case .lastRun:
            return admitsStatus(job.commonStatus, job.internalStatus) && admitsLastRunTime(of: job)
        case .anyRun:
            // A job that never ran has no run in a window; without a window its own status decides.
            guard !job.runs.isEmpty else {
                return since == nil && until == nil && admitsStatus(job.commonStatus, job.internalStatus)
            }
            return job.runs.contains { run in
                admitsStatus(run.commonStatus, run.internalStatus) && run.happened(since: since, until: until)
            }
        }
    }

    private func admitsStatus(_ common: CommonStatus, _ internalStatus: InternalStatus?) -> Bool {
        guard !commonStatuses.isEmpty || !internalStatuses.isEmpty else { return true }
        return commonStatuses.contains(common) || internalStatus.map(internalStatuses.contains) == true
    }

    /// The last run ended (or, running, started) at or after `since` and started at or before `until`.
    private func admitsLastRunTime(of job: Job) -> Bool {
        if let since {
            guard let run = job.lastRun else { return false }
            if let end = run.endTime {
                guard end >= since else { return false }
            } else {
                guard let start = run.startTime, start >= since else { return false }
            }
        }
        if let until {
            guard let start = job.lastRun?.startTime, start <= until else { return false }
        }
        return true
    }
}

/// A job that failed in a window, as lists of failures show it: the failed run and, when a later run succeeded,
/// the rerun that recovered it.
public struct JobFailure: Hashable, Sendable, Codable {
    public var jobID: String
    public var name: String
    public var qualifiedName: String
    /// The job's last run that failed in the window.
    public var failedRun: JobRun
    /// The successful run after the failure, when there is one.
    public var recoveredBy: JobRun?
    /// True when a later run succeeded.
    public var recovered: Bool

    /// Nil when `job` has no failed run in `since ..< until`.
    public init?(job: Job, since: Date?, until: Date? = nil) {
        guard let failed = job.failedRuns(since: since, until: until).last else { return nil }
        jobID = job.id
        name = job.name
        qualifiedName = job.qualifiedName
        failedRun = failed
        recoveredBy = job.recoveryRun
        recovered = recoveredBy != nil
    }
}
