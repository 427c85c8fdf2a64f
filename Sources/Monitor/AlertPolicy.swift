import Foundation
import ResyncCore

extension MaintenanceWindow {
    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    func validate() throws(MonitorConfigError) {
        if from != nil || until != nil {
            guard let from, let until, from < until else {
                throw .invalid("maintenance window '\(name)': give both from and until, from before until")
            }
            return
        }
        guard let start, let end, Self.minutes(start) != nil, Self.minutes(end) != nil else {
            throw .invalid("maintenance window '\(name)': give from/until, or start and end as HH:mm")
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw .invalid("maintenance window '\(name)': unknown time zone '\(timeZone)'")
        }
        for day in days ?? [] where !Self.weekdays.contains(day.lowercased().prefix(3).description) {
            throw .invalid("maintenance window '\(name)': unknown day '\(day)'; use mon, tue, wed, thu, fri, sat, sun")
        }
    }

    /// Whether `instant` falls in the window. A weekly window whose end is before its start runs past
    /// midnight and belongs to the day it starts on.
    public func contains(_ instant: Date) -> Bool {
        if let from, let until { return from <= instant && instant < until }
        guard let start = start.flatMap(Self.minutes), let end = end.flatMap(Self.minutes) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: instant)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let today = Self.weekdays[((parts.weekday ?? 1) - 1) % 7]
        let yesterday = Self.weekdays[((parts.weekday ?? 1) + 5) % 7]
        let allowed = Set((days ?? []).map { String($0.lowercased().prefix(3)) })
        func runsOn(_ day: String) -> Bool { allowed.isEmpty || allowed.contains(day) }
        if start <= end { return runsOn(today) && start <= minute && minute < end }
        return (runsOn(today) && minute >= start) || (runsOn(yesterday) && minute < end)
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}

/// Decides, for one failed job, where its alert goes and whether it is posted at all.
struct AlertPolicy: Sendable {
    struct Decision: Hashable, Sendable {
        var route: String
        var destinations: [AlertDestination]
        /// Set when a quiet rule holds the alert back.
        var quietReason: String?
    }

    let routes: [(AlertRoute, [AlertDestination])]
    let defaultDestinations: [AlertDestination]
    let subscriptions: [AlertSubscription]
    let mutes: [MuteRule]
    let maintenanceWindows: [MaintenanceWindow]
    let failedCommon: Set<CommonStatus>
    let failedInternal: Set<InternalStatus>

    /// Routes none of whose platforms can post (see `postingPlatforms`); they are skipped.
    let unreachableRoutes: [String]

    init(
        rules: MonitorRules, defaultDestinations: [AlertDestination], subscriptions: [AlertSubscription] = [],
        postingPlatforms: Set<ChatPlatformKind>? = nil
    ) throws(MonitorConfigError) {
        var routes: [(AlertRoute, [AlertDestination])] = []
        var unreachable: [String] = []
        for route in rules.routes {
            let destinations = try route.destinations().filter { postingPlatforms?.contains($0.platform) ?? true }
            if destinations.isEmpty {
                unreachable.append(route.name)
            } else {
                routes.append((route, destinations))
            }
        }
        self.routes = routes
        self.unreachableRoutes = unreachable
        self.defaultDestinations = defaultDestinations
        self.subscriptions = subscriptions.filter { postingPlatforms?.contains($0.destination.platform) ?? true }
        self.mutes = rules.mutes
        self.maintenanceWindows = rules.maintenanceWindows
        self.failedCommon = Set(rules.failedCommonStatuses.map(CommonStatus.init(rawValue:)))
        self.failedInternal = Set(rules.failedInternalStatuses.map(InternalStatus.init(rawValue:)))
    }

    /// Whether the job's current state is one of the configured failure statuses.
    func isFailure(_ job: Job) -> Bool {
        let common = job.lastRun?.commonStatus ?? job.commonStatus
        let internalStatus = job.lastRun?.internalStatus ?? job.internalStatus
        return failedCommon.contains(common) || internalStatus.map(failedInternal.contains) == true
    }

    /// The first matching route wins; no match means the default ops channels. Subscribed channels are added.
    func decide(_ job: Job, failedAt: Date) -> Decision {
        let (name, routed) =
            routes.first { $0.0.match.matches(job) }.map { ($0.0.name, $0.1) } ?? ("default", defaultDestinations)
        var destinations = routed
        for subscription in subscriptions where subscription.covers(job) {
            if !destinations.contains(subscription.destination) { destinations.append(subscription.destination) }
        }
        return Decision(route: name, destinations: destinations, quietReason: quietReason(job, failedAt: failedAt))
    }

    func quietReason(_ job: Job, failedAt: Date) -> String? {
        if let mute = mutes.first(where: { $0.match.matches(job) }) {
            return "mute: " + (mute.reason ?? mute.match.description)
        }
        if let window = maintenanceWindows.first(where: { ($0.match?.matches(job) ?? true) && $0.contains(failedAt) }) {
            return "maintenance: \(window.name)"
        }
        return nil
    }
}
