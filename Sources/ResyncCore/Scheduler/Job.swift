import Foundation

/// One run of a job in the plan (an element of HWA V2 `jobruns`). Times are UTC.
public struct JobRun: Hashable, Sendable, Codable {
    public var id: String
    public var jobNumber: Int?
    public var commonStatus: CommonStatus
    public var internalStatus: InternalStatus?
    public var returnCode: Int?
    public var startTime: Date?
    public var endTime: Date?
    /// Elapsed seconds, as reported by HWA or derived from start and end.
    public var elapsedSeconds: Double?
    /// True when this run is a rerun of an earlier one.
    public var isRerun: Bool
    public var lastInRerunChain: Bool

    public init(
        id: String, jobNumber: Int? = nil, commonStatus: CommonStatus, internalStatus: InternalStatus? = nil,
        returnCode: Int? = nil, startTime: Date? = nil, endTime: Date? = nil, elapsedSeconds: Double? = nil,
        isRerun: Bool = false, lastInRerunChain: Bool = true
    ) {
        self.id = id
        self.jobNumber = jobNumber
        self.commonStatus = commonStatus
        self.internalStatus = internalStatus
        self.returnCode = returnCode
        self.startTime = startTime
        self.endTime = endTime
        self.elapsedSeconds = elapsedSeconds
        self.isRerun = isRerun
        self.lastInRerunChain = lastInRerunChain
    }

    public var isFailure: Bool {
        commonStatus == .error || internalStatus.map { InternalStatus.failures.contains($0) } == true
    }
}

/// A dependency of a job in the plan, enough to answer "why is it waiting?".
public struct JobDependency: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case job, jobStream, resource, file, prompt, time, other
    }

    public var kind: Kind
    /// What the job waits on, e.g. `WS#STREAM.JOB`, a resource or file name, or a time.
    public var target: String
    /// HWA's status of the dependency (e.g. UNDECIDED, SUCCESSFUL), as reported.
    public var status: String?
    public var satisfied: Bool

    public init(kind: Kind, target: String, status: String? = nil, satisfied: Bool) {
        self.kind = kind
        self.target = target
        self.status = status
        self.satisfied = satisfied
    }
}

/// A job instance in the current plan. Its current state is that of its last run.
public struct Job: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// HWA folder, `/` when the engine has none.
    public var folder: String
    public var workstation: String
    public var jobStreamName: String
    public var jobStreamID: String?
    public var jobStreamWorkstation: String?
    public var scheduledTime: Date?
    public var priority: Int?
    /// Status of the job when it has no run yet (waiting, held…); the last run's status otherwise.
    public var commonStatus: CommonStatus
    public var internalStatus: InternalStatus?
    public var runs: [JobRun]
    public var dependencies: [JobDependency]

    public init(
        id: String, name: String, folder: String = "/", workstation: String, jobStreamName: String,
        jobStreamID: String? = nil, jobStreamWorkstation: String? = nil, scheduledTime: Date? = nil,
        priority: Int? = nil, commonStatus: CommonStatus, internalStatus: InternalStatus? = nil,
        runs: [JobRun] = [], dependencies: [JobDependency] = []
    ) {
        self.id = id
        self.name = name
        self.folder = folder
        self.workstation = workstation
        self.jobStreamName = jobStreamName
        self.jobStreamID = jobStreamID
        self.jobStreamWorkstation = jobStreamWorkstation
        self.scheduledTime = scheduledTime
        self.priority = priority
        self.commonStatus = commonStatus
        self.internalStatus = internalStatus
        self.runs = runs
        self.dependencies = dependencies
    }

    /// The run that defines the job's current state.
    public var lastRun: JobRun? { runs.last }

    /// `WORKSTATION#STREAM.JOB`, HWA's identifier of a job in the plan and the way operators write it
    /// (conman `sj MASTER#PAYROLL.PAYROLL_FINAL`, dependency targets, job log headers); with the job stream's
    /// folder when it is not the root (`MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL`), as conman selects it in 10.x.
    /// Two streams of one name in two folders then print apart, and either can be asked about by what was printed.
    public var qualifiedName: String { qualifiedName(withFolder: true) }

    /// `qualifiedName`, or without the folder: how patterns written before folders (`MASTER#PAYROLL.*`) still
    /// match a job in any folder.
    public func qualifiedName(withFolder: Bool) -> String {
        // The workstation is the job stream's, not the agent the job runs on: only that form can be asked back
        // (`jobStreamWorkstation = …` in OQL). A job read without it keeps its own, the best left to print.
        let streamWorkstation = jobStreamWorkstation.flatMap { $0.isEmpty ? nil : $0 } ?? workstation
        let stream = Self.streamPath(folder: withFolder ? folder : nil, stream: jobStreamName)
        return "\(streamWorkstation.trimmingLeadingSlash)#\(stream).\(name)"
    }

    /// `/FINANCE/PAYROLL` for stream `PAYROLL` in folder `/FINANCE` (or `FINANCE/`); `PAYROLL` in the root folder.
    public static func streamPath(folder: String?, stream: String) -> String {
        let trimmed = (folder ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return trimmed.isEmpty ? stream : "/\(trimmed)/\(stream)"
    }

    public var isFailed: Bool {
        if let lastRun { return lastRun.isFailure }
        return commonStatus == .error || internalStatus.map { InternalStatus.failures.contains($0) } == true
    }
}

extension String {
    /// V2 names are folder-qualified (`/WA_DA`); operators usually write them without the root slash.
    public var trimmingLeadingSlash: String {
        hasPrefix("/") && count > 1 && !dropFirst().contains("/") ? String(dropFirst()) : self
    }
}
