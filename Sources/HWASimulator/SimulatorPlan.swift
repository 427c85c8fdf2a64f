import Foundation

/// The plan as it stands at one instant: the scenario with every event that is due applied.
struct SimulatorPlan: Sendable {
    struct Run: Sendable {
        var id: String
        var jobNumber: Int
        var status: String
        var returnCode: Int?
        var start: Date?
        var end: Date?
        var rerun: Bool
        var log: [String]
    }

    struct Job: Sendable {
        var id: String
        var name: String
        var folder: String
        var workstation: String
        var jobStream: String
        var jobStreamID: String
        var jobStreamWorkstation: String
        var scheduled: Date
        var priority: Int
        var pendingStatus: String
        var runs: [Run]
        var dependsOn: [String]

        var internalStatus: String { runs.last?.status ?? pendingStatus }
        var commonStatus: String { SimulatorPlan.commonStatus(forInternal: internalStatus) }
    }

    var jobs: [Job]
    var scenario: SimulatorScenario
    var origin: Date

    init(scenario: SimulatorScenario, origin: Date, now: Date) {
        self.scenario = scenario
        self.origin = origin
        var jobs = scenario.jobs.map { Self.job(from: $0, scenario: scenario, origin: origin) }
        for event in scenario.events.sorted(by: { $0.afterSeconds < $1.afterSeconds }) {
            let at = origin.addingTimeInterval(event.afterSeconds)
            guard at <= now, let index = jobs.firstIndex(where: { Self.refers(event.job, to: $0) }) else { continue }
            Self.apply(event, at: at, to: &jobs[index])
        }
        self.jobs = jobs
    }

    static func job(from job: SimulatorScenario.Job, scenario: SimulatorScenario, origin: Date) -> Job {
        let stream = scenario.jobStreams.first { $0.name == job.jobStream }
        let streamWorkstation = stream?.workstation ?? job.workstation
        let scheduled = origin.addingTimeInterval(-60 * (stream?.scheduledMinutesAgo ?? 120))
        let id = StableID.make("job", streamWorkstation, job.jobStream, job.name)
        let runs = (job.runs ?? []).enumerated().map { index, run in
            let start = run.startedMinutesAgo.map { origin.addingTimeInterval(-60 * $0) }
            let end = run.durationMinutes.flatMap { duration in start.map { $0.addingTimeInterval(60 * duration) } }
            return Run(
                id: StableID.make("run", id, String(index)), jobNumber: jobNumber(id, index),
                status: run.status.uppercased(),
                returnCode: run.returnCode, start: start, end: isRunning(run.status) ? nil : end, rerun: index > 0,
                log: run.log ?? defaultLog(job: job.name, status: run.status, returnCode: run.returnCode))
        }
        return Job(
            id: id, name: job.name, folder: job.folder ?? "/", workstation: job.workstation, jobStream: job.jobStream,
            jobStreamID: StableID.make("jobstream", streamWorkstation, job.jobStream),
            jobStreamWorkstation: streamWorkstation,
            scheduled: scheduled, priority: job.priority ?? 10, pendingStatus: (job.status ?? "HOLD").uppercased(),
            runs: runs, dependsOn: job.dependsOn ?? [])
    }

    static func apply(_ event: SimulatorScenario.Event, at instant: Date, to job: inout Job) {
        let status = event.status.uppercased()
        if event.rerun == true || job.runs.isEmpty {
            let index = job.runs.count
            job.runs.append(
                Run(
                    id: StableID.make("run", job.id, String(index)), jobNumber: jobNumber(job.id, index),
                    status: status,
                    returnCode: event.returnCode, start: instant,
                    end: isRunning(status) ? nil : instant.addingTimeInterval(1),
                    rerun: index > 0,
                    log: event.log ?? defaultLog(job: job.name, status: status, returnCode: event.returnCode)))
        } else {
            var run = job.runs[job.runs.count - 1]
            run.status = status
            run.returnCode = event.returnCode ?? run.returnCode
            run.end = isRunning(status) ? nil : instant
            if let log = event.log { run.log += log }
            job.runs[job.runs.count - 1] = run
        }
    }

    /// `NAME`, `STREAM.NAME` or `WS#STREAM.NAME`.
    static func refers(_ reference: String, to job: Job) -> Bool {
        var rest = Substring(reference)
        if let hash = rest.firstIndex(of: "#") {
            guard rest[..<hash] == job.jobStreamWorkstation else { return false }
            rest = rest[rest.index(after: hash)...]
        }
        if let dot = rest.lastIndex(of: ".") {
            return rest[..<dot] == job.jobStream && rest[rest.index(after: dot)...] == job.name
        }
        return rest == job.name
    }

    static func isRunning(_ status: String) -> Bool {
        ["EXEC", "INTRO", "WAIT", "ABENP", "SUCCP", "PEND", "STARTED"].contains(status.uppercased())
    }

    /// The usual internal → common mapping (hwa-api.md §9.2).
    static func commonStatus(forInternal status: String) -> String {
        switch status.uppercased() {
        case "ABEND", "FAIL", "ERROR", "STUCK": "ERROR"
        case "EXEC", "INTRO", "WAIT", "ABENP", "SUCCP", "PEND", "STARTED": "RUNNING"
        case "SUCC", "COMPLT", "END": "SUCCESSFUL"
        case "HOLD", "PENDPRED": "WAITING"
        case "READY": "READY"
        case "FENCE", "SUSP": "HELD"
        case "CANCL", "CANCLP": "CANCELED"
        case "SUPPR": "SUPPRESS"
        default: "UNDECIDED"
        }
    }

    static func jobNumber(_ id: String, _ index: Int) -> Int {
        Int(StableID.hash(id) % 90_000) + 10_000 + index
    }

    static func defaultLog(job: String, status: String, returnCode: Int?) -> [String] {
        [
            "===============================================================",
            "= JOB       : \(job)",
            "= USER      : twsuser",
            "= Exit Status : \(returnCode.map(String.init) ?? "-")",
            "= Status    : \(status.uppercased())",
            "===============================================================",
        ]
    }
}

/// Ids that stay the same across restarts, formatted like the UUIDs HWA uses.
enum StableID {
    static func make(_ parts: String...) -> String {
        let joined = parts.joined(separator: "|")
        let high = hash(joined)
        let low = hash(String(joined.reversed()) + "#")
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        func slice(_ from: Int, _ to: Int) -> String { String(characters[from..<to]) }
        return "\(slice(0, 8))-\(slice(8, 12))-\(slice(12, 16))-\(slice(16, 20))-\(slice(20, 32))"
    }

    /// FNV-1a, 64 bits.
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return value
    }
}
