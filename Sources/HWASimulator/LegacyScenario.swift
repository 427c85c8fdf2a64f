import ResyncCore

/// The original Python version's `mock_tws_data.json`: flat lists of workstation and job statuses.
enum LegacyScenario {
    static func convert(_ object: [String: JSONValue]) -> SimulatorScenario {
        var workstations: [SimulatorScenario.Workstation] = []
        if case .array(let entries)? = object["workstations_status"] {
            for entry in entries {
                guard let name = entry["name"]?.stringValue else { continue }
                let status = (entry["status"]?.stringValue ?? "LINKED").uppercased()
                workstations.append(
                    .init(name: name, type: entry["type"]?.stringValue ?? "AGENT", states: states(for: status)))
            }
        }
        var jobs: [SimulatorScenario.Job] = []
        var streams: [String: String] = [:]
        if case .array(let entries)? = object["jobs_status"] {
            for entry in entries {
                guard let name = entry["name"]?.stringValue else { continue }
                let workstation = entry["workstation"]?.stringValue ?? workstations.first?.name ?? "MASTER"
                let stream = entry["job_stream"]?.stringValue ?? "DEFAULT"
                streams[stream] = streams[stream] ?? workstation
                let status = (entry["status"]?.stringValue ?? "SUCC").uppercased()
                let waiting = ["HOLD", "READY", "WAIT"].contains(status)
                let run = SimulatorScenario.Run(
                    status: status, returnCode: status == "ABEND" ? 1 : (status == "SUCC" ? 0 : nil),
                    startedMinutesAgo: 30, durationMinutes: status == "EXEC" ? nil : 2)
                jobs.append(
                    .init(
                        name: name, workstation: workstation, jobStream: stream, runs: waiting ? nil : [run],
                        status: waiting ? status : nil))
            }
        }
        for workstation in Set(jobs.map(\.workstation)) where !workstations.contains(where: { $0.name == workstation })
        {
            workstations.append(.init(name: workstation, states: states(for: "LINKED")))
        }
        let jobStreams = streams.sorted { $0.key < $1.key }.map {
            SimulatorScenario.JobStream(name: $0.key, workstation: $0.value, scheduledMinutesAgo: 60)
        }
        var connected = true
        if case .bool(let value)? = object["connection_status"] { connected = value }
        return SimulatorScenario(
            workstations: workstations, jobStreams: jobStreams, jobs: jobs, connectionStatus: connected)
    }

    static func states(for status: String) -> [String] {
        switch status {
        case "LINKED", "ONLINE", "RUNNING", "ACTIVE", "OK": ["LINKED", "RUNNING", "JOBMAN_UP"]
        default: []
        }
    }
}
