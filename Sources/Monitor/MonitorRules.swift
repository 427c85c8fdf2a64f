import Foundation
import ResyncCore

/// Matches jobs by name, job stream and workstation patterns. Every pattern given must match; an empty
/// matcher matches every job. Patterns are case-insensitive globs: `*` (or HWA's `@`) is any run of
/// characters, `?` one character. A job pattern with `#` is matched against `WS#STREAM.JOB`, and against
/// `WS#/FOLDER/STREAM.JOB` when it names a folder; one without a folder matches the stream in any folder.
public struct JobMatcher: Hashable, Sendable, Codable {
    public var job: String?
    public var jobStream: String?
    public var workstation: String?

    public init(job: String? = nil, jobStream: String? = nil, workstation: String? = nil) {
        self.job = job
        self.jobStream = jobStream
        self.workstation = workstation
    }

    public func matches(_ candidate: Job) -> Bool {
        if let job {
            let subject =
                if let hash = job.firstIndex(of: "#") {
                    candidate.qualifiedName(withFolder: job[hash...].contains("/"))
                } else {
                    candidate.name
                }
            guard Glob.matches(pattern: job, subject) else { return false }
        }
        if let jobStream, !Glob.matches(pattern: jobStream, candidate.jobStreamName.trimmingLeadingSlash) {
            return false
        }
        if let workstation, !Glob.matches(pattern: workstation, candidate.workstation.trimmingLeadingSlash) {
            return false
        }
        return true
    }

    public var description: String {
        [job.map { "job \($0)" }, jobStream.map { "stream \($0)" }, workstation.map { "workstation \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// A routing rule: failures matching `match` go to `channels` (platform name → channel ids).
public struct AlertRoute: Hashable, Sendable, Codable {
    public var name: String
    public var match: JobMatcher
    /// Keys are `slack`, `teams`, `mattermost`.
    public var channels: [String: [String]]

    public init(name: String, match: JobMatcher, channels: [String: [String]]) {
        self.name = name
        self.match = match
        self.channels = channels
    }

    /// The destinations, platforms in a stable order.
    public func destinations() throws(MonitorConfigError) -> [AlertDestination] {
        var result: [AlertDestination] = []
        for platformName in channels.keys.sorted() {
            guard let platform = ChatPlatformKind(rawValue: platformName.lowercased()),
                [.slack, .teams, .mattermost].contains(platform)
            else { throw .unknownPlatform(route: name, platform: platformName) }
            for channel in channels[platformName] ?? [] where !channel.isEmpty {
                result.append(AlertDestination(platform: platform, channel: channel))
            }
        }
        return result
    }
}

/// Failures of matching jobs are recorded but never posted (jobs expected to fail).
public struct MuteRule: Hashable, Sendable, Codable {
    public var match: JobMatcher
    public var reason: String?

    public init(match: JobMatcher, reason: String? = nil) {
        self.match = match
        self.reason = reason
    }
}

/// A period when failures (of matching jobs, or of every job) are recorded but not posted. Either a one-off
/// period (`from`/`until`, ISO 8601) or a weekly one (`days`, `start`/`end` as HH:mm in `timeZone`).
public struct MaintenanceWindow: Hashable, Sendable, Codable {
    public var name: String
    public var match: JobMatcher?
    public var from: Date?
    public var until: Date?
    /// `mon`…`sun`; empty means every day.
    public var days: [String]?
    public var start: String?
    public var end: String?
    /// IANA name; UTC when absent.
    public var timeZone: String?

    public init(
        name: String, match: JobMatcher? = nil, from: Date? = nil, until: Date? = nil, days: [String]? = nil,
        start: String? = nil, end: String? = nil, timeZone: String? = nil
    ) {
        self.name = name
        self.match = match
        self.from = from
        self.until = until
        self.days = days
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }
}

/// Storm control: more than `threshold` new failures on one route within one poll (or within `windowSeconds`)
/// are posted as one digest with the per-job alerts in its thread.
public struct StormRule: Hashable, Sendable, Codable {
    public var threshold: Int
    /// 0: count only the failures of the current poll.
    public var windowSeconds: Double

    public init(threshold: Int = 10, windowSeconds: Double = 0) {
        self.threshold = threshold
        self.windowSeconds = windowSeconds
    }

    enum CodingKeys: String, CodingKey { case threshold, windowSeconds }

    // Either key may be left out, like every key of the rules file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = StormRule()
        threshold = try container.decodeIfPresent(Int.self, forKey: .threshold) ?? defaults.threshold
        windowSeconds = try container.decodeIfPresent(Double.self, forKey: .windowSeconds) ?? defaults.windowSeconds
    }
}

/// The alert rules file (`Config/alert-routes.json`): routes, quiet rules, storm control and which statuses
/// count as failures. Every key is optional.
public struct MonitorRules: Hashable, Sendable, Codable {
    public var routes: [AlertRoute]
    public var mutes: [MuteRule]
    public var maintenanceWindows: [MaintenanceWindow]
    public var storm: StormRule
    /// Common statuses that mean failed (default `ERROR`).
    public var failedCommonStatuses: [String]
    /// Internal statuses that mean failed (default `ABEND`, `FAIL`, `ABENP`, `ERROR`).
    public var failedInternalStatuses: [String]
    /// On start, failures that ended this long before now are still alerted when never seen (default 6 h).
    public var catchUpWindowSeconds: Double
    /// How long a posted alert waits for its job to recover before the monitor stops following it (default 24 h).
    public var followUpHours: Double
    /// Time zone of times shown in digests and recoveries (default UTC).
    public var displayTimeZone: String

    public init(
        routes: [AlertRoute] = [], mutes: [MuteRule] = [], maintenanceWindows: [MaintenanceWindow] = [],
        storm: StormRule = StormRule(), failedCommonStatuses: [String] = ["ERROR"],
        failedInternalStatuses: [String] = ["ABEND", "FAIL", "ABENP", "ERROR"], catchUpWindowSeconds: Double = 21_600,
        followUpHours: Double = 24, displayTimeZone: String = "UTC"
    ) {
        self.routes = routes
        self.mutes = mutes
        self.maintenanceWindows = maintenanceWindows
        self.storm = storm
        self.failedCommonStatuses = failedCommonStatuses
        self.failedInternalStatuses = failedInternalStatuses
        self.catchUpWindowSeconds = catchUpWindowSeconds
        self.followUpHours = followUpHours
        self.displayTimeZone = displayTimeZone
    }

    enum CodingKeys: String, CodingKey {
        case routes, mutes, maintenanceWindows, storm, failedCommonStatuses, failedInternalStatuses
        case catchUpWindowSeconds, followUpHours, displayTimeZone
    }

    public init(from decoder: any Decoder) throws {
        let defaults = MonitorRules()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        routes = try container.decodeIfPresent([AlertRoute].self, forKey: .routes) ?? defaults.routes
        mutes = try container.decodeIfPresent([MuteRule].self, forKey: .mutes) ?? defaults.mutes
        maintenanceWindows =
            try container.decodeIfPresent([MaintenanceWindow].self, forKey: .maintenanceWindows)
            ?? defaults.maintenanceWindows
        storm = try container.decodeIfPresent(StormRule.self, forKey: .storm) ?? defaults.storm
        failedCommonStatuses =
            try container.decodeIfPresent([String].self, forKey: .failedCommonStatuses) ?? defaults.failedCommonStatuses
        failedInternalStatuses =
            try container.decodeIfPresent([String].self, forKey: .failedInternalStatuses)
            ?? defaults.failedInternalStatuses
        catchUpWindowSeconds =
            try container.decodeIfPresent(Double.self, forKey: .catchUpWindowSeconds) ?? defaults.catchUpWindowSeconds
        followUpHours = try container.decodeIfPresent(Double.self, forKey: .followUpHours) ?? defaults.followUpHours
        displayTimeZone =
            try container.decodeIfPresent(String.self, forKey: .displayTimeZone) ?? defaults.displayTimeZone
    }

    /// Reads and checks the rules file. A missing file gives the defaults (every failure to the ops channels).
    public static func load(path: String) throws(MonitorConfigError) -> MonitorRules {
        guard FileManager.default.fileExists(atPath: path) else { return MonitorRules() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, detail: "\(error.localizedDescription)")
        }
        do throws(MonitorConfigError) {
            return try parse(data, source: path)
        } catch {
            if case .unreadable = error { throw error }
            throw .unreadable(path: path, detail: error.description)
        }
    }

    /// Parses and checks rules from JSON.
    public static func parse(_ data: Data, source: String = "alert rules") throws(MonitorConfigError) -> MonitorRules {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let rules: MonitorRules
        do {
            rules = try decoder.decode(MonitorRules.self, from: data)
        } catch {
            throw .unreadable(path: source, detail: Self.describe(error))
        }
        try rules.validate()
        return rules
    }

    func validate() throws(MonitorConfigError) {
        for route in routes { _ = try route.destinations() }
        guard storm.threshold >= 1 else { throw .invalid("storm.threshold must be at least 1") }
        guard TimeZone(identifier: displayTimeZone) != nil else {
            throw .invalid("displayTimeZone '\(displayTimeZone)' is not an IANA time zone name")
        }
        for window in maintenanceWindows { try window.validate() }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context): "missing key \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context): "wrong type at \(path(context.codingPath))"
        case DecodingError.valueNotFound(_, let context): "missing value at \(path(context.codingPath))"
        default: "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "top level" }
        return keys.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}

/// A problem with the monitor's configuration; the message names the place to fix.
public enum MonitorConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String, detail: String)
    case unknownPlatform(route: String, platform: String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail): "alert rules file \(path): \(detail)"
        case .unknownPlatform(let route, let platform):
            "alert route '\(route)': unknown platform '\(platform)'; use slack, teams or mattermost"
        case .invalid(let detail): "alert rules: \(detail)"
        }
    }
}
