import Foundation

/// A job stream instance in the current plan.
public struct JobStream: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var folder: String
    public var workstation: String
    public var scheduledTime: Date?
    public var commonStatus: CommonStatus
    public var internalStatus: InternalStatus?
    public var jobCount: Int?

    public init(
        id: String, name: String, folder: String = "/", workstation: String, scheduledTime: Date? = nil,
        commonStatus: CommonStatus, internalStatus: InternalStatus? = nil, jobCount: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.folder = folder
        self.workstation = workstation
        self.scheduledTime = scheduledTime
        self.commonStatus = commonStatus
        self.internalStatus = internalStatus
        self.jobCount = jobCount
    }
}

/// A workstation (agent, master, pool…) in the current plan and the flags operators care about.
public struct Workstation: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var type: String?
    public var linked: Bool?
    public var running: Bool?
    public var jobmanUp: Bool?
    /// Raw state words as HWA reports them (LINKED, RUNNING, JOBMAN_UP…).
    public var states: [String]

    public init(
        id: String, name: String, type: String? = nil, linked: Bool? = nil, running: Bool? = nil,
        jobmanUp: Bool? = nil, states: [String] = []
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.linked = linked
        self.running = running
        self.jobmanUp = jobmanUp
        self.states = states
    }

    /// True when HWA says the workstation is unlinked or not running.
    public var needsAttention: Bool { linked == false || running == false }
}

/// What `GET /engine/info` tells about the master.
public struct EngineInfo: Hashable, Sendable, Codable {
    public var version: String
    public var timeZone: String?
    public var engineType: String?
    public var masterWorkstation: String?

    public init(version: String, timeZone: String? = nil, engineType: String? = nil, masterWorkstation: String? = nil) {
        self.version = version
        self.timeZone = timeZone
        self.engineType = engineType
        self.masterWorkstation = masterWorkstation
    }
}

/// A bounded slice of a job run's log (stdlist), already redacted by the caller that shows it.
public struct JobLog: Hashable, Sendable, Codable {
    public var runID: String
    public var lines: [String]
    /// True when the log had more lines than were returned.
    public var truncated: Bool

    public init(runID: String, lines: [String], truncated: Bool) {
        self.runID = runID
        self.lines = lines
        self.truncated = truncated
    }
}
