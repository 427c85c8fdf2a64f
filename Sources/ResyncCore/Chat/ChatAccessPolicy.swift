import Foundation

/// Which scheduler objects each channel or user may see, and which channels receive alerts.
/// Loaded from `Config/access.json`; with no rule for a channel or user, `defaultAllow` decides.
public struct ChatAccessPolicy: Hashable, Sendable, Codable {
    /// Grants the objects matching all its patterns to the listed channels and users.
    public struct Rule: Hashable, Sendable, Codable {
        public var channels: [String]
        public var users: [String]
        /// Glob patterns (`*`, `?`, case-insensitive); an empty list means any.
        public var jobs: [String]
        public var jobStreams: [String]
        public var workstations: [String]

        public init(
            channels: [String] = [], users: [String] = [], jobs: [String] = [], jobStreams: [String] = [],
            workstations: [String] = []
        ) {
            self.channels = channels
            self.users = users
            self.jobs = jobs
            self.jobStreams = jobStreams
            self.workstations = workstations
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            channels = try container.decodeIfPresent([String].self, forKey: .channels) ?? []
            users = try container.decodeIfPresent([String].self, forKey: .users) ?? []
            jobs = try container.decodeIfPresent([String].self, forKey: .jobs) ?? []
            jobStreams = try container.decodeIfPresent([String].self, forKey: .jobStreams) ?? []
            workstations = try container.decodeIfPresent([String].self, forKey: .workstations) ?? []
        }

        func applies(channel: String, user: String?) -> Bool {
            channels.contains(channel) || (user.map { users.contains($0) } ?? false)
        }

        func grants(_ object: AccessObject) -> Bool {
            Self.matches(jobs, object.jobName) && Self.matches(jobStreams, object.jobStream)
                && Self.matches(workstations, object.workstation)
        }

        static func matches(_ patterns: [String], _ value: String?) -> Bool {
            guard !patterns.isEmpty else { return true }
            guard let value else { return false }
            return patterns.contains { Glob.matches(pattern: $0, value) }
        }
    }

    /// A channel that receives proactive alerts, optionally only for some jobs.
    public struct AlertChannel: Hashable, Sendable, Codable {
        public var platform: ChatPlatformKind
        public var channel: String
        public var jobs: [String]

        public init(platform: ChatPlatformKind, channel: String, jobs: [String] = []) {
            self.platform = platform
            self.channel = channel
            self.jobs = jobs
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            platform = try container.decode(ChatPlatformKind.self, forKey: .platform)
            channel = try container.decode(String.self, forKey: .channel)
            jobs = try container.decodeIfPresent([String].self, forKey: .jobs) ?? []
        }
    }

    public var defaultAllow: Bool
    public var rules: [Rule]
    public var alertChannels: [AlertChannel]

    public init(defaultAllow: Bool = true, rules: [Rule] = [], alertChannels: [AlertChannel] = []) {
        self.defaultAllow = defaultAllow
        self.rules = rules
        self.alertChannels = alertChannels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultAllow = try container.decodeIfPresent(Bool.self, forKey: .defaultAllow) ?? true
        rules = try container.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        alertChannels = try container.decodeIfPresent([AlertChannel].self, forKey: .alertChannels) ?? []
    }

    /// Everyone sees everything; no alert channels.
    public static let allowAll = ChatAccessPolicy()

    /// Whether `object` may be shown in `channel` to `user`. Rules for the channel or the user grant;
    /// with no rule for either, the default applies.
    public func allows(_ object: AccessObject, channel: String, user: String?) -> Bool {
        scope(channel: channel, user: user).allows(object)
    }

    /// What `user` may see in `channel`: the rules that apply there, handed to the agent so that it reads
    /// and composes from the visible objects only.
    public func scope(channel: String, user: String?) -> AccessScope {
        AccessScope(defaultAllow: defaultAllow, rules: rules.filter { $0.applies(channel: channel, user: user) })
    }
}

/// What one conversation (a channel and a user) may see. With no applicable rule, `defaultAllow` decides;
/// otherwise an object is visible when one of the rules grants it.
public struct AccessScope: Hashable, Sendable, Codable {
    public var defaultAllow: Bool
    public var rules: [ChatAccessPolicy.Rule]

    public init(defaultAllow: Bool = true, rules: [ChatAccessPolicy.Rule] = []) {
        self.defaultAllow = defaultAllow
        self.rules = rules
    }

    /// Everything is visible: no need to filter.
    public var isUnrestricted: Bool { rules.isEmpty && defaultAllow }

    public func allows(_ object: AccessObject) -> Bool {
        guard !rules.isEmpty else { return defaultAllow }
        return rules.contains { $0.grants(object) }
    }

    /// A workstation is visible when a rule's workstation patterns (empty: any) match it: its state is the
    /// infrastructure the channel's own jobs run on.
    public func allowsWorkstation(_ name: String) -> Bool {
        guard !rules.isEmpty else { return defaultAllow }
        return rules.contains { ChatAccessPolicy.Rule.matches($0.workstations, name) }
    }

    /// A knowledge-base entry is visible unless it is about a job, stream or workstation the scope does not
    /// grant; general entries (no job, stream or workstation) are visible wherever anything is.
    public func allowsKnowledge(jobPattern: String?, jobStream: String?, workstation: String?) -> Bool {
        guard !rules.isEmpty else { return defaultAllow }
        return rules.contains { rule in
            (jobPattern.map { ChatAccessPolicy.Rule.matches(rule.jobs, $0) } ?? true)
                && (jobStream.map { ChatAccessPolicy.Rule.matches(rule.jobStreams, $0) } ?? true)
                && (workstation.map { ChatAccessPolicy.Rule.matches(rule.workstations, $0) } ?? true)
        }
    }
}

/// The parts of a scheduler object an access rule looks at.
public struct AccessObject: Hashable, Sendable {
    public var jobName: String?
    public var jobStream: String?
    public var workstation: String?

    public init(jobName: String? = nil, jobStream: String? = nil, workstation: String? = nil) {
        self.jobName = jobName
        self.jobStream = jobStream
        self.workstation = workstation
    }

    /// A job as the rules see it: its name, its stream and the workstation it runs on.
    public init(job: Job) {
        self.init(jobName: job.name, jobStream: job.jobStreamName, workstation: job.workstation)
    }
}
