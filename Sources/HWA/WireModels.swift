import Foundation

// Lenient mirrors of the HWA REST V2 schemas the client reads (names as in the OpenAPI document).
// Every field is optional and decoded with `try?`: a field HWA renames, drops or fills with an enum
// value this code has never seen must not make a whole page unreadable. Unknown fields are ignored.

/// `PaginatedResponseV2*`: `{count, results, next, previous}`.
struct PaginatedResponse<Item: Decodable>: Decodable {
    var count: Int?
    var results: [Item]
    var next: String?
    var previous: String?

    enum CodingKeys: String, CodingKey { case count, results, next, previous }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = container.lenient(Int.self, .count)
        next = container.lenient(String.self, .next)
        previous = container.lenient(String.self, .previous)
        // One unreadable element is skipped rather than failing the page.
        let elements = container.lenient([Lenient<Item>].self, .results) ?? []
        results = elements.compactMap(\.value)
    }
}

/// Decodes a value or nothing, never throwing.
struct Lenient<Value: Decodable>: Decodable {
    var value: Value?

    init(from decoder: any Decoder) throws {
        value = try? Value(from: decoder)
    }
}

extension KeyedDecodingContainer {
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }
}

/// `JobInPlanCompositeStatusV2` (and the job stream variant): the internal status and its flags.
struct CompositeStatusV2: Decodable {
    var status: String?
    var error: Bool?
    var canceled: Bool?
    var started: Bool?

    enum CodingKeys: String, CodingKey { case status, error, canceled, started }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = container.lenient(String.self, .status)
        error = container.lenient(Bool.self, .error)
        canceled = container.lenient(Bool.self, .canceled)
        started = container.lenient(Bool.self, .started)
    }
}

/// `TimeInfoV2`.
struct TimeInfoV2: Decodable {
    var actualStartTime: String?
    var actualEndTime: String?
    var elapsedTime: String?

    enum CodingKeys: String, CodingKey { case actualStartTime, actualEndTime, elapsedTime }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        actualStartTime = container.lenient(String.self, .actualStartTime)
        actualEndTime = container.lenient(String.self, .actualEndTime)
        elapsedTime = container.lenient(String.self, .elapsedTime)
    }
}

/// `JobRunInstanceV2`.
struct JobRunInstanceV2: Decodable {
    var id: String?
    var jobNumber: Int?
    var commonStatus: String?
    var compositeStatus: CompositeStatusV2?
    var returnCode: Int?
    var rerunJob: Bool?
    var lastInRerunChain: Bool?
    var timeInfo: TimeInfoV2?

    enum CodingKeys: String, CodingKey {
        case id, jobNumber, commonStatus, compositeStatus, returnCode, rerunJob, lastInRerunChain, timeInfo
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenient(String.self, .id)
        jobNumber = container.lenient(Int.self, .jobNumber)
        commonStatus = container.lenient(String.self, .commonStatus)
        compositeStatus = container.lenient(CompositeStatusV2.self, .compositeStatus)
        returnCode = container.lenient(Int.self, .returnCode)
        rerunJob = container.lenient(Bool.self, .rerunJob)
        lastInRerunChain = container.lenient(Bool.self, .lastInRerunChain)
        timeInfo = container.lenient(TimeInfoV2.self, .timeInfo)
    }
}

/// `DependencyInPlanV2` and its `oneOf` variants, flattened to the fields an operator needs.
struct DependencyInPlanV2: Decodable {
    var dependencyType: String?
    var dependencyStatus: String?
    var satisfied: Bool?
    var jobName: String?
    var jobStreamName: String?
    var jobStreamWorkstation: String?
    var jobStreamFolder: String?
    var name: String?
    var promptName: String?

    enum CodingKeys: String, CodingKey {
        case dependencyType, dependencyStatus, satisfied, jobName, jobStreamName, jobStreamWorkstation, jobStreamFolder
        case name, promptName
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dependencyType = container.lenient(String.self, .dependencyType)
        dependencyStatus = container.lenient(String.self, .dependencyStatus)
        satisfied = container.lenient(Bool.self, .satisfied)
        jobName = container.lenient(String.self, .jobName)
        jobStreamName = container.lenient(String.self, .jobStreamName)
        jobStreamWorkstation = container.lenient(String.self, .jobStreamWorkstation)
        jobStreamFolder = container.lenient(String.self, .jobStreamFolder)
        name = container.lenient(String.self, .name)
        promptName = container.lenient(String.self, .promptName)
    }
}

/// `JobInPlanV2`.
struct JobInPlanV2: Decodable {
    var id: String?
    var name: String?
    var folder: String?
    var workstation: String?
    var jobStreamId: String?
    var jobStreamName: String?
    var jobStreamWorkstation: String?
    var schedTime: String?
    var priority: Int?
    var lastRunCommonStatus: String?
    var lastRunCompositeStatus: CompositeStatusV2?
    var jobruns: [JobRunInstanceV2]
    var dependencies: [DependencyInPlanV2]

    enum CodingKeys: String, CodingKey {
        case id, name, folder, workstation, jobStreamId, jobStreamName, jobStreamWorkstation, schedTime, priority
        case lastRunCommonStatus, lastRunCompositeStatus, jobruns, dependencies
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenient(String.self, .id)
        name = container.lenient(String.self, .name)
        folder = container.lenient(String.self, .folder)
        workstation = container.lenient(String.self, .workstation)
        jobStreamId = container.lenient(String.self, .jobStreamId)
        jobStreamName = container.lenient(String.self, .jobStreamName)
        jobStreamWorkstation = container.lenient(String.self, .jobStreamWorkstation)
        schedTime = container.lenient(String.self, .schedTime)
        priority = container.lenient(Int.self, .priority)
        lastRunCommonStatus = container.lenient(String.self, .lastRunCommonStatus)
        lastRunCompositeStatus = container.lenient(CompositeStatusV2.self, .lastRunCompositeStatus)
        jobruns = (container.lenient([Lenient<JobRunInstanceV2>].self, .jobruns) ?? []).compactMap(\.value)
        dependencies = (container.lenient([Lenient<DependencyInPlanV2>].self, .dependencies) ?? []).compactMap(\.value)
    }
}

/// `JobStreamInPlanV2`.
struct JobStreamInPlanV2: Decodable {
    var id: String?
    var name: String?
    var folder: String?
    var workstation: String?
    var schedTime: String?
    var commonStatus: String?
    var compositeStatus: CompositeStatusV2?
    var numberOfJob: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, folder, workstation, schedTime, commonStatus, compositeStatus, jobStreamStats
    }

    enum StatsKeys: String, CodingKey { case numberOfJob }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenient(String.self, .id)
        name = container.lenient(String.self, .name)
        folder = container.lenient(String.self, .folder)
        workstation = container.lenient(String.self, .workstation)
        schedTime = container.lenient(String.self, .schedTime)
        commonStatus = container.lenient(String.self, .commonStatus)
        compositeStatus = container.lenient(CompositeStatusV2.self, .compositeStatus)
        let stats = try? container.nestedContainer(keyedBy: StatsKeys.self, forKey: .jobStreamStats)
        numberOfJob = stats?.lenient(Int.self, .numberOfJob)
    }
}

/// `WorkstationInPlanV2`.
struct WorkstationInPlanV2: Decodable {
    var id: String?
    var name: String?
    var type: String?
    var activeStates: [String]

    enum CodingKeys: String, CodingKey { case id, name, type, activeStates }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.lenient(String.self, .id)
        name = container.lenient(String.self, .name)
        type = container.lenient(String.self, .type)
        activeStates = (container.lenient([Lenient<String>].self, .activeStates) ?? []).compactMap(\.value)
    }
}

/// `EngineInfoV2`.
struct EngineInfoV2: Decodable {
    var displayVersion: String?
    var fullVersion: String?
    var timezone: String?
    var licenseType: String?

    enum CodingKeys: String, CodingKey { case displayVersion, fullVersion, timezone, licenseType }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        displayVersion = container.lenient(String.self, .displayVersion)
        fullVersion = container.lenient(String.self, .fullVersion)
        timezone = container.lenient(String.self, .timezone)
        licenseType = container.lenient(String.self, .licenseType)
    }
}

/// `GroupedCountResponse`.
struct GroupedCountResponse: Decodable {
    var count: Int?
    var groupedCount: [String: Int]

    enum CodingKeys: String, CodingKey { case count, groupedCount }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = container.lenient(Int.self, .count)
        groupedCount = container.lenient([String: Int].self, .groupedCount) ?? [:]
    }
}

/// The error body HWA sends: `{"exceptionName": "...", "messages": ["AWS…E …"]}`.
struct HWAErrorBody: Decodable {
    var exceptionName: String?
    var messages: [String]

    enum CodingKeys: String, CodingKey { case exceptionName, messages }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exceptionName = container.lenient(String.self, .exceptionName)
        messages = container.lenient([String].self, .messages) ?? []
    }
}
