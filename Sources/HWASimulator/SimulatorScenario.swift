import Foundation
import ResyncCore

/// What the simulated HWA master holds: engine facts, workstations, job streams, jobs with their runs and
/// logs, and events that change jobs as time passes. Times are relative to the moment the simulator starts,
/// so a scenario always looks "live". See docs/HWA.md for the format.
public struct SimulatorScenario: Sendable, Codable, Hashable {
    public struct Engine: Sendable, Codable, Hashable {
        public var version: String
        public var timeZone: String

        public init(version: String = "10.2.5", timeZone: String = "UTC") {
            self.version = version
            self.timeZone = timeZone
        }
    }

    public struct Workstation: Sendable, Codable, Hashable {
        public var name: String
        public var type: String?
        public var os: String?
        /// `activeStates` words: LINKED, RUNNING, JOBMAN_UP… An unlinked agent simply lacks LINKED.
        public var states: [String]
        public var nodeName: String?

        public init(
            name: String, type: String? = "AGENT", os: String? = "LINUX", states: [String], nodeName: String? = nil
        ) {
            self.name = name
            self.type = type
            self.os = os
            self.states = states
            self.nodeName = nodeName
        }
    }

    public struct JobStream: Sendable, Codable, Hashable {
        public var name: String
        public var folder: String?
        public var workstation: String
        /// Minutes before the simulator's start at which the stream was scheduled.
        public var scheduledMinutesAgo: Double?

        public init(name: String, folder: String? = nil, workstation: String, scheduledMinutesAgo: Double? = nil) {
            self.name = name
            self.folder = folder
            self.workstation = workstation
            self.scheduledMinutesAgo = scheduledMinutesAgo
        }
    }

    public struct Run: Sendable, Codable, Hashable {
        /// Internal status (JobInPlanStatus): SUCC, ABEND, FAIL, EXEC, HOLD, READY, WAIT, INTRO, CANCL…
        public var status: String
        public var returnCode: Int?
        public var startedMinutesAgo: Double?
        public var durationMinutes: Double?
        public var log: [String]?

        public init(
            status: String, returnCode: Int? = nil, startedMinutesAgo: Double? = nil, durationMinutes: Double? = nil,
            log: [String]? = nil
        ) {
            self.status = status
            self.returnCode = returnCode
            self.startedMinutesAgo = startedMinutesAgo
            self.durationMinutes = durationMinutes
            self.log = log
        }
    }

    public struct Job: Sendable, Codable, Hashable {
        public var name: String
        public var folder: String?
        public var workstation: String
        public var jobStream: String
        public var priority: Int?
        /// Earlier runs first; the last one is the job's current state. No run = not started (status below).
        public var runs: [Run]?
        /// Status of a job with no run: HOLD (waiting), READY…
        public var status: String?
        /// `STREAM.JOB` or `JOB` (same stream) names this job waits for.
        public var dependsOn: [String]?

        public init(
            name: String, folder: String? = nil, workstation: String, jobStream: String, priority: Int? = nil,
            runs: [Run]? = nil, status: String? = nil, dependsOn: [String]? = nil
        ) {
            self.name = name
            self.folder = folder
            self.workstation = workstation
            self.jobStream = jobStream
            self.priority = priority
            self.runs = runs
            self.status = status
            self.dependsOn = dependsOn
        }
    }

    /// "At t+`afterSeconds`, job `job` …": either its current run changes (`status`, `returnCode`, `log`), or,
    /// with `rerun: true`, a new run starts with that status.
    public struct Event: Sendable, Codable, Hashable {
        public var afterSeconds: Double
        /// `NAME`, `STREAM.NAME` or `WS#STREAM.NAME`.
        public var job: String
        public var status: String
        public var returnCode: Int?
        public var rerun: Bool?
        public var log: [String]?

        public init(
            afterSeconds: Double, job: String, status: String, returnCode: Int? = nil, rerun: Bool? = nil,
            log: [String]? = nil
        ) {
            self.afterSeconds = afterSeconds
            self.job = job
            self.status = status
            self.returnCode = returnCode
            self.rerun = rerun
            self.log = log
        }
    }

    public var engine: Engine
    public var workstations: [Workstation]
    public var jobStreams: [JobStream]
    public var jobs: [Job]
    public var events: [Event]
    /// False makes every API call answer 503, as an engine whose REST layer is down.
    public var connectionStatus: Bool

    public init(
        engine: Engine = Engine(), workstations: [Workstation], jobStreams: [JobStream] = [], jobs: [Job],
        events: [Event] = [], connectionStatus: Bool = true
    ) {
        self.engine = engine
        self.workstations = workstations
        self.jobStreams = jobStreams
        self.jobs = jobs
        self.events = events
        self.connectionStatus = connectionStatus
    }

    enum CodingKeys: String, CodingKey {
        case engine, workstations, jobStreams, jobs, events, connectionStatus
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        engine = try container.decodeIfPresent(Engine.self, forKey: .engine) ?? Engine()
        workstations = try container.decodeIfPresent([Workstation].self, forKey: .workstations) ?? []
        jobStreams = try container.decodeIfPresent([JobStream].self, forKey: .jobStreams) ?? []
        jobs = try container.decodeIfPresent([Job].self, forKey: .jobs) ?? []
        events = try container.decodeIfPresent([Event].self, forKey: .events) ?? []
        connectionStatus = try container.decodeIfPresent(Bool.self, forKey: .connectionStatus) ?? true
    }
}

/// Problems reading a scenario file; each says which file and what is wrong.
public enum SimulatorScenarioError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read simulator scenario '\(path)': \(reason) (TWS_MOCK_DATA)"
        case .invalid(let path, let reason): "simulator scenario '\(path)' is not valid: \(reason)"
        }
    }
}

extension SimulatorScenario {
    /// Reads a scenario file in this format, or in the original minimal format (`workstations_status`,
    /// `jobs_status`, `critical_path_status`, `connection_status`).
    public static func load(path: String) throws -> SimulatorScenario {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SimulatorScenarioError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    public static func decode(_ data: Data, source: String = "scenario") throws -> SimulatorScenario {
        do {
            let raw = try JSONDecoder().decode(JSONValue.self, from: data)
            guard case .object(let object) = raw else {
                throw SimulatorScenarioError.invalid(path: source, reason: "not a JSON object")
            }
            if object["jobs_status"] != nil || object["workstations_status"] != nil {
                return LegacyScenario.convert(object)
            }
            let scenario = try JSONDecoder().decode(SimulatorScenario.self, from: data)
            try scenario.validate(source: source)
            return scenario
        } catch let error as SimulatorScenarioError {
            throw error
        } catch {
            throw SimulatorScenarioError.invalid(path: source, reason: "\(error)")
        }
    }

    func validate(source: String) throws {
        let names = Set(jobs.map(\.name))
        for event in events {
            let leaf = event.job.split(separator: ".").last.map(String.init) ?? event.job
            guard names.contains(leaf) else {
                throw SimulatorScenarioError.invalid(path: source, reason: "event refers to unknown job '\(event.job)'")
            }
        }
    }
}
