import Foundation

/// How to select jobs in the plan.
public struct JobFilter: Hashable, Sendable, Codable {
    /// Job name: exact (`PAYROLL_FINAL`), wildcard (`PAYROLL_*`, `PAY@`), folder-qualified
    /// (`/FINANCE/PAYROLL_FINAL`) or fully qualified (`WS#STREAM.JOB`). Nil means any job.
    public var name: String?
    public var jobStream: String?
    public var workstation: String?
    /// Common statuses to keep (empty = any).
    public var commonStatuses: Set<CommonStatus>
    /// Internal statuses to keep (empty = any). A job matches when it matches either status set.
    public var internalStatuses: Set<InternalStatus>
    /// Keep jobs whose last run ended (or, when running, started) at or after this instant; with `runs: .anyRun`,
    /// jobs with one such run.
    public var since: Date?
    /// Keep jobs whose last run started at or before this instant; with `runs: .anyRun`, jobs with a run that
    /// ended (or, unfinished, started) before it.
    public var until: Date?
    /// Which runs the status and time conditions look at: the last one (the job's current state) or any one.
    public var runs: RunSelection
    /// Upper bound on the number of jobs returned across all pages.
    public var limit: Int
    /// Skip the client's cache (the monitor needs fresh data every poll).
    public var bypassCache: Bool

    public init(
        name: String? = nil, jobStream: String? = nil, workstation: String? = nil,
        commonStatuses: Set<CommonStatus> = [], internalStatuses: Set<InternalStatus> = [],
        since: Date? = nil, until: Date? = nil, runs: RunSelection = .lastRun, limit: Int = 500,
        bypassCache: Bool = false
    ) {
        self.name = name
        self.jobStream = jobStream
        self.workstation = workstation
        self.commonStatuses = commonStatuses
        self.internalStatuses = internalStatuses
        self.since = since
        self.until = until
        self.runs = runs
        self.limit = limit
        self.bypassCache = bypassCache
    }

    /// Jobs with a run that failed (common ERROR or a failing internal status) and ended, or started when it has
    /// no end, at or after `date`, whatever their current state: a job that abended and was then rerun
    /// successfully failed in the window too.
    public static func failed(since date: Date?, limit: Int = 500, bypassCache: Bool = false) -> JobFilter {
        JobFilter(
            commonStatuses: [.error], internalStatuses: InternalStatus.failures, since: date, runs: .anyRun,
            limit: limit, bypassCache: bypassCache)
    }
}

/// Which of a job's runs a filter's status and time conditions apply to.
public enum RunSelection: String, Hashable, Sendable, Codable {
    /// The last run, i.e. the job's current state (the job's own status when it has not run).
    case lastRun
    /// Any one run: a single run must meet both the status and the time conditions.
    case anyRun
}

/// Errors any scheduler adapter reports. Messages say what to do and never contain a secret.
public enum SchedulerError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(String)
    case timedOut(seconds: Double)
    case unauthorized
    case forbidden(String)
    case notFound(String)
    case badFilter(String)
    case circuitOpen(retryAfterSeconds: Double)
    case unsupportedVersion(String)
    case refusedWrite(method: String, path: String)
    case invalidResponse(String)
    case server(status: Int, message: String)

    public var description: String {
        switch self {
        case .unreachable(let detail): "HWA unreachable: \(detail)"
        case .timedOut(let seconds): "HWA unreachable: no answer within \(seconds) s"
        case .unauthorized:
            "HWA refused the credentials (401): check TWS_USER/TWS_PASSWORD or that TWS_API_KEY has not expired"
        case .forbidden(let detail): "HWA security denied the request (403): \(detail)"
        case .notFound(let what): "not found in the HWA plan: \(what)"
        case .badFilter(let detail): "HWA rejected the query filter: \(detail)"
        case .circuitOpen(let after): "HWA circuit breaker open after repeated failures; retrying in \(Int(after)) s"
        case .unsupportedVersion(let detail): "unsupported HWA version: \(detail)"
        case .refusedWrite(let method, let path): "refused: \(method) \(path) is not a read-only HWA call"
        case .invalidResponse(let detail): "HWA sent a response that could not be read: \(detail)"
        case .server(let status, let message): "HWA error \(status): \(message)"
        }
    }

    /// True when the failure says HWA could not be reached at all (as opposed to a refusal).
    public var isUnavailability: Bool {
        switch self {
        case .unreachable, .timedOut, .circuitOpen, .server: true
        default: false
        }
    }
}

/// Read-only access to the workload scheduler's current plan. There is deliberately no operation
/// that changes anything: Resync cannot rerun, cancel, hold or submit.
public protocol SchedulerAPI: Sendable {
    /// Jobs in the plan that match `filter`, following pages up to `filter.limit`.
    func jobs(matching filter: JobFilter) async throws -> [Job]
    /// One job instance by its plan id.
    func job(id: String) async throws -> Job
    /// Job streams in the plan by name (exact or wildcard).
    func jobStreams(named name: String, limit: Int) async throws -> [JobStream]
    /// Workstations in the plan with their link and run state.
    func workstations() async throws -> [Workstation]
    /// Engine version and time zone.
    func engineInfo() async throws -> EngineInfo
    /// Number of jobs in the plan per common status.
    func jobCounts() async throws -> [CommonStatus: Int]
    /// The last `tail` lines of a run's log.
    func jobLog(runID: String, tail: Int) async throws -> JobLog
}
