import Foundation
import ResyncCore

// Plan objects rendered as the V2 schemas (`JobInPlanV2`, `JobRunInstanceV2`, `JobStreamInPlanV2`,
// `WorkstationInPlanV2`, `EngineInfoV2`). Absent values are left out rather than sent as null, as the
// schemas declare plain (non-nullable) types.

enum WireRendering {
    static let planID = StableID.make("plan", "current")

    static func instant(_ date: Date) -> JSONValue {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)))
    }

    static func duration(_ seconds: Double) -> JSONValue {
        .string("PT\(Int(seconds.rounded()))S")
    }

    static func slashed(_ name: String) -> String { name.hasPrefix("/") ? name : "/" + name }

    static func composite(_ status: String) -> JSONValue {
        let upper = status.uppercased()
        return [
            "status": .string(upper), "error": .bool(SimulatorPlan.commonStatus(forInternal: upper) == "ERROR"),
            "canceled": .bool(upper.hasPrefix("CANCL")), "started": .bool(upper != "HOLD" && upper != "READY"),
            "cancelPending": .bool(upper == "CANCLP"), "dontRun": false,
        ]
    }

    static func run(_ run: SimulatorPlan.Run, of job: SimulatorPlan.Job, isLast: Bool) -> JSONValue {
        var timeInfo: [String: JSONValue] = ["estimatedDuration": "PT5M"]
        if let start = run.start { timeInfo["actualStartTime"] = instant(start) }
        if let end = run.end { timeInfo["actualEndTime"] = instant(end) }
        if let start = run.start, let end = run.end { timeInfo["elapsedTime"] = duration(end.timeIntervalSince(start)) }
        var object: [String: JSONValue] = [
            "id": .string(run.id), "name": .string(job.name), "jobId": .string(job.id),
            "jobKey": .string(key(job)), "actualWorkstation": .string(slashed(job.workstation)),
            "jobNumber": .int(run.jobNumber),
            "commonStatus": .string(SimulatorPlan.commonStatus(forInternal: run.status)),
            "compositeStatus": composite(run.status), "step": "", "rerunJob": .bool(run.rerun),
            "rerunType": run.rerun ? "RERUN" : "REGULAR", "lastInRerunChain": .bool(isLast),
            "timeInfo": .object(timeInfo), "runAttempt": .int(1), "confirmed": false, "released": false,
        ]
        if let code = run.returnCode { object["returnCode"] = .int(code) }
        return .object(object)
    }

    static func key(_ job: SimulatorPlan.Job) -> String {
        "\(slashed(job.jobStreamWorkstation))#\(job.folder == "/" ? "/" : job.folder + "/")\(job.jobStream).\(job.name)"
    }

    static func job(_ job: SimulatorPlan.Job, plan: SimulatorPlan) -> JSONValue {
        let runs = job.runs.enumerated().map { index, item in run(item, of: job, isLast: index == job.runs.count - 1) }
        let dependencies = job.dependsOn.map { dependency(on: $0, from: job, plan: plan) }
        let unresolved = dependencies.filter { $0["satisfied"] == .bool(false) }.count
        var object: [String: JSONValue] = [
            "flowNodeType": "JOB", "id": .string(job.id), "planId": .string(planID),
            "folderId": .string(StableID.make("folder", job.folder)), "folder": .string(job.folder),
            "name": .string(job.name), "workstationId": .string(StableID.make("ws", job.workstation)),
            "workstation": .string(slashed(job.workstation)), "jobStreamId": .string(job.jobStreamID),
            "jobStreamName": .string(job.jobStream),
            "jobStreamWorkstationId": .string(StableID.make("ws", job.jobStreamWorkstation)),
            "jobStreamWorkstation": .string(slashed(job.jobStreamWorkstation)), "key": .string(key(job)),
            "position": 1, "priority": .int(job.priority), "origPriority": .int(job.priority),
            "schedTime": instant(job.scheduled), "timeZone": .string(plan.scenario.engine.timeZone),
            "lastRunCommonStatus": .string(job.commonStatus), "lastRunCompositeStatus": composite(job.internalStatus),
            "jobruns": .array(runs), "dependencies": .array(dependencies), "archived": false,
            "jobDefinition": [
                "name": .string(job.name), "workstation": .string(slashed(job.workstation)),
                "folder": .string(job.folder), "isCommand": false, "command": false,
            ],
            "dependenciesStats": [
                "numberOfDependencies": .int(dependencies.count), "numberOfJobDependencies": .int(dependencies.count),
                "numberOfJobStreamDependencies": 0, "numberOfInternetworkDependencies": 0,
                "numberOfPromptDependencies": 0, "numberOfResourceDependencies": 0, "numberOfFileDependencies": 0,
                "numberOfUnresolvedDependencies": .int(unresolved),
                "numberOfNonResourceUnresolvedDependencies": .int(unresolved),
            ],
        ]
        // No job-level `endTime`: the reference sample of a job whose run ended in ABEND has it null (the OpenAPI
        // schema types it as a string, so it is left out rather than null). A run's end is in its `timeInfo`; a
        // client that filters on `endTime` finds nothing here, as on an engine.
        return .object(object)
    }

    static func dependency(on reference: String, from job: SimulatorPlan.Job, plan: SimulatorPlan) -> JSONValue {
        let qualified = reference.contains(".") ? reference : "\(job.jobStream).\(reference)"
        let predecessor = plan.jobs.first { SimulatorPlan.refers(qualified, to: $0) }
        let done = predecessor?.commonStatus == "SUCCESSFUL"
        var object: [String: JSONValue] = [
            "dependencyType": predecessor?.jobStream == job.jobStream ? "INTERNAL" : "EXTERNAL_JOB",
            "dependencyStatus": done ? "SATISFIED" : "UNSATISFIED", "satisfied": .bool(done), "mandatory": true,
            "jobId": .string(predecessor?.id ?? StableID.make("missing", qualified)),
            "jobName": .string(predecessor?.name ?? String(qualified.split(separator: ".").last ?? "")),
            "jobStreamName": .string(predecessor?.jobStream ?? String(qualified.split(separator: ".").first ?? "")),
        ]
        if let predecessor {
            object["jobStreamWorkstation"] = .string(slashed(predecessor.jobStreamWorkstation))
            object["jobStreamFolder"] = .string(predecessor.folder)
            object["predecessorStatus"] = composite(predecessor.internalStatus)
        }
        return .object(object)
    }

    static func jobStream(_ stream: SimulatorScenario.JobStream, plan: SimulatorPlan) -> JSONValue {
        let jobs = plan.jobs.filter { $0.jobStream == stream.name }
        let commons = jobs.map(\.commonStatus)
        let (common, internalStatus) = streamStatus(commons)
        let folder = stream.folder ?? "/"
        let scheduled = plan.origin.addingTimeInterval(-60 * (stream.scheduledMinutesAgo ?? 120))
        return [
            "flowNodeType": "JOBSTREAM", "id": .string(StableID.make("jobstream", stream.workstation, stream.name)),
            "planId": .string(planID), "folder": .string(folder), "name": .string(stream.name),
            "originalJobStreamName": .string(stream.name), "workstation": .string(slashed(stream.workstation)),
            "workstationId": .string(StableID.make("ws", stream.workstation)),
            "key": .string("\(slashed(stream.workstation))#\(folder == "/" ? "/" : folder + "/")\(stream.name)"),
            "schedTime": instant(scheduled), "timeZone": .string(plan.scenario.engine.timeZone),
            "commonStatus": .string(common),
            "compositeStatus": [
                "status": .string(internalStatus), "error": .bool(common == "ERROR"), "canceled": false,
                "started": .bool(common != "WAITING"), "cancelPending": false, "dontRun": false,
            ],
            "priority": 10, "origPriority": 10, "limit": 10, "archived": false,
            "jobStreamStats": [
                "numberOfJob": .int(jobs.count),
                "numberOfSuccessfullJob": .int(commons.filter { $0 == "SUCCESSFUL" }.count),
                "numberOfExecutingJob": .int(commons.filter { $0 == "RUNNING" }.count),
                "numberOfAbendedJob": .int(jobs.filter { $0.internalStatus == "ABEND" }.count),
                "numberOfFailedJob": .int(jobs.filter { $0.internalStatus == "FAIL" }.count),
                "numberOfNotRunningJob": .int(commons.filter { $0 == "WAITING" || $0 == "READY" }.count),
            ],
        ]
    }

    /// A job stream's status from its jobs': any error wins, then anything running or partly done.
    static func streamStatus(_ commons: [String]) -> (common: String, internal: String) {
        if commons.contains("ERROR") { return ("ERROR", "ABEND") }
        if commons.contains("RUNNING") { return ("RUNNING", "EXEC") }
        if !commons.isEmpty && commons.allSatisfy({ $0 == "SUCCESSFUL" }) { return ("SUCCESSFUL", "SUCC") }
        if commons.contains("SUCCESSFUL") { return ("RUNNING", "EXEC") }
        return ("WAITING", "HOLD")
    }

    static func workstation(_ workstation: SimulatorScenario.Workstation, plan: SimulatorPlan) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(StableID.make("ws", workstation.name)), "planId": .string(planID), "folder": "/",
            "name": .string(workstation.name), "key": .string(slashed(workstation.name)),
            "activeStates": .array(workstation.states.map { .string($0.uppercased()) }), "activeFlags": ["AUTO_LINK"],
            "timeZone": .string(plan.scenario.engine.timeZone), "domainName": "MASTERDM", "tcpPort": 31111,
            "version": .string(plan.scenario.engine.version), "limit": 20, "fence": 0, "ignore": false,
            "archived": false,
        ]
        if let type = workstation.type { object["type"] = .string(type) }
        if let os = workstation.os { object["os"] = .string(os) }
        object["nodeName"] = .string(workstation.nodeName ?? workstation.name.lowercased() + ".example.internal")
        return .object(object)
    }

    static func engineInfo(_ engine: SimulatorScenario.Engine) -> JSONValue {
        [
            "displayVersion": .string(engine.version), "fullVersion": .string(engine.version + ".0"),
            "timezone": .string(engine.timeZone), "locale": "en_US", "licenseType": "PERPETUAL",
            "referenceId": .string(StableID.make("engine", engine.version)),
        ]
    }

    static func error(_ exception: String, _ messages: [String]) -> JSONValue {
        ["exceptionName": .string(exception), "messages": .array(messages.map { .string($0) })]
    }
}
