import Foundation
import ResyncCore

// Wire (HWA V2 JSON) → domain values. Times are UTC instants; rendering in a user's zone happens later.

enum HWATime {
    /// Parses `2025-10-13T21:59:00Z`, with or without fractional seconds or an offset.
    static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }

    /// Formats an instant the way OQL expects it: `2025-12-01T23:00:00.000Z`.
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses an ISO-8601 duration such as `PT6S`, `PT1M30.5S` or `P1DT2H` into seconds.
    static func seconds(ofDuration text: String?) -> Double? {
        guard let text, text.uppercased().hasPrefix("P") else { return nil }
        var total = 0.0
        var number = ""
        var inTime = false
        for character in text.uppercased().dropFirst() {
            switch character {
            case "T": inTime = true
            case "0"..."9", ".", ",": number.append(character == "," ? "." : character)
            case "D", "H", "M", "S", "W":
                guard let value = Double(number) else { return nil }
                number = ""
                switch (character, inTime) {
                case ("W", false): total += value * 604_800
                case ("D", false): total += value * 86_400
                case ("H", true): total += value * 3_600
                case ("M", true): total += value * 60
                case ("S", true): total += value
                default: return nil  // months and years have no fixed length
                }
            default: return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}

extension JobRunInstanceV2 {
    func domain(fallbackID: String) -> JobRun {
        let start = HWATime.parse(timeInfo?.actualStartTime)
        let end = HWATime.parse(timeInfo?.actualEndTime)
        var elapsed = HWATime.seconds(ofDuration: timeInfo?.elapsedTime)
        if elapsed == nil, let start, let end { elapsed = end.timeIntervalSince(start) }
        return JobRun(
            id: id ?? fallbackID, jobNumber: jobNumber,
            commonStatus: CommonStatus(commonStatus ?? compositeStatusCommonFallback),
            internalStatus: compositeStatus?.status.map(InternalStatus.init(rawValue:)), returnCode: returnCode,
            startTime: start, endTime: end, elapsedSeconds: elapsed, isRerun: rerunJob ?? false,
            lastInRerunChain: lastInRerunChain ?? true)
    }

    /// A run with no common status but an error flag is still a failure.
    private var compositeStatusCommonFallback: String {
        compositeStatus?.error == true ? CommonStatus.error.rawValue : "UNDECIDED"
    }
}

extension DependencyInPlanV2 {
    var domain: JobDependency {
        let kind: JobDependency.Kind
        let target: String
        switch dependencyType?.uppercased() {
        case "INTERNAL", "EXTERNAL_JOB":
            kind = .job
            // The same id `Job.qualifiedName` prints, so a dependency can be asked about as it is shown.
            target = [
                jobStreamWorkstation.map { "\($0.trimmingLeadingSlash)#" }, streamPath.map { "\($0)." }, jobName,
            ]
            .compactMap { $0 }.joined()
        case "EXTERNAL_JOBSTREAM":
            kind = .jobStream
            target = [jobStreamWorkstation.map { "\($0.trimmingLeadingSlash)#" }, streamPath].compactMap { $0 }
                .joined()
        case "RESOURCE":
            kind = .resource
            target = name ?? "resource"
        case "FILE":
            kind = .file
            target = name ?? "file"
        case "PROMPT":
            kind = .prompt
            target = promptName ?? name ?? "prompt"
        default:
            kind = .other
            target = name ?? jobName ?? dependencyType ?? "dependency"
        }
        let satisfied = satisfied ?? (dependencyStatus?.uppercased() == "SATISFIED")
        return JobDependency(kind: kind, target: target, status: dependencyStatus, satisfied: satisfied)
    }

    private var streamPath: String? {
        jobStreamName.map { Job.streamPath(folder: jobStreamFolder, stream: $0) }
    }
}

extension JobInPlanV2 {
    func domain() throws -> Job {
        guard let id, let name else {
            throw SchedulerError.invalidResponse("a job in the plan has no id or name")
        }
        let runs = jobruns.enumerated().map { index, run in run.domain(fallbackID: "\(id)#\(index)") }
        let last = runs.last
        let common = last?.commonStatus ?? lastRunCommonStatus.map(CommonStatus.init(rawValue:)) ?? .waiting
        let internalStatus =
            last?.internalStatus ?? lastRunCompositeStatus?.status.map(InternalStatus.init(rawValue:))
        return Job(
            id: id, name: name, folder: folder ?? "/", workstation: workstation?.trimmingLeadingSlash ?? "",
            jobStreamName: jobStreamName ?? "", jobStreamID: jobStreamId,
            jobStreamWorkstation: jobStreamWorkstation?.trimmingLeadingSlash, scheduledTime: HWATime.parse(schedTime),
            priority: priority, commonStatus: common, internalStatus: internalStatus, runs: runs,
            dependencies: dependencies.map(\.domain))
    }
}

extension JobStreamInPlanV2 {
    func domain() throws -> JobStream {
        guard let id, let name else {
            throw SchedulerError.invalidResponse("a job stream in the plan has no id or name")
        }
        return JobStream(
            id: id, name: name, folder: folder ?? "/", workstation: workstation?.trimmingLeadingSlash ?? "",
            scheduledTime: HWATime.parse(schedTime), commonStatus: CommonStatus(commonStatus ?? "UNDECIDED"),
            internalStatus: compositeStatus?.status.map(InternalStatus.init(rawValue:)), jobCount: numberOfJob)
    }
}

extension WorkstationInPlanV2 {
    func domain() throws -> Workstation {
        guard let name else { throw SchedulerError.invalidResponse("a workstation in the plan has no name") }
        let states = activeStates.map { $0.uppercased() }
        let linkStates: Set<String> = ["LINKED", "FULLY_LINKED", "DIRECTLY_LINKED", "HOST_LINKED", "TCP_IP_LINKED"]
        return Workstation(
            id: id ?? name, name: name.trimmingLeadingSlash, type: type,
            linked: states.contains(where: linkStates.contains),
            running: states.contains("RUNNING") || states.contains("INSTALLED_AND_RUNNING"),
            jobmanUp: states.contains("JOBMAN_UP"), states: states)
    }
}

extension EngineInfoV2 {
    func domain() throws -> EngineInfo {
        guard let version = displayVersion ?? fullVersion else {
            throw SchedulerError.invalidResponse("engine info carries no version")
        }
        return EngineInfo(version: version, timeZone: timezone)
    }
}
