import Foundation
import HTTPTypes
import Hummingbird
import ResyncCore

/// The tabs of the review page. "Pending" is what still waits for a human: active and flagged memories.
public enum ReviewTab: String, Sendable, CaseIterable, Codable {
    case pending, flagged, approved, rejected, deleted

    var statuses: Set<MemoryStatus> {
        switch self {
        case .pending: [.active, .flagged]
        case .flagged: [.flagged]
        case .approved: [.approved]
        case .rejected: [.rejected]
        case .deleted: [.deleted]
        }
    }
}

/// What a reviewer may do to a memory. Reject and delete are destructive and need a confirmation step on the page.
public enum ReviewAction: String, Sendable, CaseIterable {
    case approve, reject, restore, delete

    var isDestructive: Bool { self == .reject || self == .delete }
}

/// The filters of the review page and of `GET /api/memories`, read from the query string.
public struct ReviewQuery: Sendable, Equatable {
    public var tab: ReviewTab = .pending
    public var job: String?
    public var platform: ChatPlatformKind?
    public var kind: MemoryKind?
    public var text: String?
    /// Inclusive day bounds (`yyyy-MM-dd`, UTC) on the creation time.
    public var from: Date?
    public var to: Date?
    public var limit = 100

    public init() {}

    /// The page's reading: a filter it cannot read is left out (the page's own links and forms only write
    /// valid ones).
    init(_ parameters: Hummingbird.Parameters) {
        self = Self.reading(parameters).query
    }

    /// The API's reading: a filter it cannot read is refused, naming the parameter and what it may be.
    static func strict(_ parameters: Hummingbird.Parameters) throws(ReviewQueryError) -> ReviewQuery {
        let read = Self.reading(parameters)
        if let problem = read.problems.first { throw problem }
        return read.query
    }

    /// Every filter that could be read, and what was wrong with the others. Empty values mean "no filter".
    static func reading(_ parameters: Hummingbird.Parameters) -> (query: ReviewQuery, problems: [ReviewQueryError]) {
        var query = ReviewQuery()
        var problems: [ReviewQueryError] = []
        func value(_ name: String) -> String? {
            parameters[Substring(name)].map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap {
                $0.isEmpty ? nil : $0
            }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) -> T? where T.RawValue == String {
            guard let text = value(name) else { return nil }
            if let choice = T(rawValue: text.lowercased()) { return choice }
            let allowed = T.allCases.map(\.rawValue)
            problems.append(.invalid(name, text, allowed: "one of " + allowed.joined(separator: ", ")))
            return nil
        }
        func day(_ name: String) -> Date? {
            guard let text = value(name) else { return nil }
            if let day = Self.day(text) { return day }
            problems.append(.invalid(name, text, allowed: "a day written yyyy-MM-dd (UTC), e.g. 2026-11-26"))
            return nil
        }
        query.tab = choice("status", ReviewTab.self) ?? .pending
        query.job = value("job")
        query.platform = choice("platform", ChatPlatformKind.self)
        query.kind = choice("kind", MemoryKind.self)
        query.text = value("q")
        query.from = day("from")
        query.to = day("to").map { $0.addingTimeInterval(86_400) }
        if let from = query.from, let to = query.to, to <= from {
            problems.append(.invalid("to", value("to") ?? "", allowed: "the same day as from or later"))
        }
        if let text = value("limit") {
            let number = Int(text)
            if let number, Self.limits.contains(number) {
                query.limit = number
            } else {
                problems.append(.invalid("limit", text, allowed: "a whole number from 1 to 500"))
                // The page clamps what it can read, as it always did.
                query.limit = number.map { min(max($0, Self.limits.lowerBound), Self.limits.upperBound) } ?? 100
            }
        }
        return (query, problems)
    }

    static let limits = 1...500

    /// A real calendar day written `yyyy-MM-dd`, as midnight UTC; `2026-13-45` is none.
    static func day(_ text: String) -> Date? {
        guard let match = text.wholeMatch(of: #/([0-9]{4})-([0-9]{2})-([0-9]{2})/#),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let wanted = DateComponents(year: year, month: month, day: day)
        // Calendar arithmetic rolls 2026-02-30 over to March; a day that does not round-trip does not exist.
        guard let date = calendar.date(from: wanted),
            calendar.dateComponents([.year, .month, .day], from: date) == wanted
        else { return nil }
        return date
    }

    func filter(statuses: Set<MemoryStatus>, limit: Int) -> MemoryFilter {
        MemoryFilter(statuses: statuses, kind: kind, jobName: job, platform: platform, text: text, limit: limit)
    }

    func admits(_ memory: Memory) -> Bool {
        if let from, memory.createdAt < from { return false }
        if let to, memory.createdAt >= to { return false }
        return true
    }
}

/// A filter of `GET /api/memories` that cannot be read.
public enum ReviewQueryError: Error, Equatable, CustomStringConvertible {
    case invalid(_ parameter: String, _ value: String, allowed: String)

    public var description: String {
        switch self {
        case .invalid(let parameter, let value, let allowed):
            "\(parameter)='\(value.prefix(40))' is not a valid filter: \(parameter) must be \(allowed)"
        }
    }

    var httpError: HTTPError { HTTPError(.badRequest, message: description) }
}

/// Memories per tab under the current filters.
public struct ReviewCounts: Sendable, Codable, Equatable {
    public var pending = 0, flagged = 0, approved = 0, rejected = 0, deleted = 0

    subscript(tab: ReviewTab) -> Int {
        switch tab {
        case .pending: pending
        case .flagged: flagged
        case .approved: approved
        case .rejected: rejected
        case .deleted: deleted
        }
    }
}

/// The review logic the page and the JSON API share: listing with counts, and each action written to the audit
/// log under the reviewer's name. Every action is reversible (restore undoes reject and delete).
public struct MemoryCurator: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notFound(String)
        case notRestorable(String)
        case emptyText

        public var description: String {
            switch self {
            case .notFound(let id): "no memory with id \(id); it may have been purged"
            case .notRestorable(let id): "memory \(id) is neither rejected nor deleted, so there is nothing to restore"
            case .emptyText: "the new text is empty; write the corrected text or cancel"
            }
        }

        var status: HTTPResponse.Status {
            switch self {
            case .notFound: .notFound
            case .notRestorable: .conflict
            case .emptyText: .badRequest
            }
        }

        var httpError: HTTPError { HTTPError(status, message: description) }
    }

    /// Counting reads at most this many rows per tab; the page says "+" beyond it.
    static let countCap = 10_000

    let memories: any MemoryStore
    let time: any TimeSource

    public init(memories: any MemoryStore, time: any TimeSource) {
        self.memories = memories
        self.time = time
    }

    public func list(_ query: ReviewQuery) async throws -> [Memory] {
        let fetchLimit = query.from == nil && query.to == nil ? query.limit : Self.countCap
        let rows = try await memories.list(query.filter(statuses: query.tab.statuses, limit: fetchLimit))
        return Array(rows.filter(query.admits).prefix(query.limit))
    }

    public func counts(_ query: ReviewQuery) async throws -> ReviewCounts {
        var counts = ReviewCounts()
        for status in MemoryStatus.allCases {
            let rows = try await memories.list(query.filter(statuses: [status], limit: Self.countCap))
            let count = rows.filter(query.admits).count
            switch status {
            case .active: counts.pending += count
            case .flagged:
                counts.pending += count
                counts.flagged = count
            case .approved: counts.approved = count
            case .rejected: counts.rejected = count
            case .deleted: counts.deleted = count
            }
        }
        return counts
    }

    public func memory(id: String) async throws -> Memory {
        guard let memory = try await memories.memory(id: id) else { throw Failure.notFound(id) }
        return memory
    }

    public func auditLog(id: String) async throws -> [AuditLogEntry] {
        try await memories.auditLog(memoryID: id)
    }

    /// Applies `action` as `actor`; returns the memory as it is afterwards.
    @discardableResult
    public func perform(_ action: ReviewAction, id: String, actor: String, reason: String?) async throws -> Memory {
        let current = try await memory(id: id)
        let reason = Self.reason(reason, default: "\(action.rawValue) on the review page")
        switch action {
        case .approve: try await memories.setStatus(id: id, to: .approved, actor: actor, reason: reason)
        case .reject: try await memories.setStatus(id: id, to: .rejected, actor: actor, reason: reason)
        case .delete: try await memories.setStatus(id: id, to: .deleted, actor: actor, reason: reason)
        case .restore:
            let target = try await restoreTarget(of: current)
            try await memories.setStatus(id: id, to: target, actor: actor, reason: reason)
        }
        return try await memory(id: id)
    }

    @discardableResult
    public func edit(id: String, text: String, actor: String, reason: String?) async throws -> Memory {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Failure.emptyText }
        _ = try await memory(id: id)
        try await memories.updateText(id: id, text: text, actor: actor, reason: Self.reason(reason, default: "edited"))
        return try await memory(id: id)
    }

    /// A deleted memory gets back the status it had before the delete; a rejected one becomes active again.
    func restoreTarget(of memory: Memory) async throws -> MemoryStatus {
        switch memory.status {
        case .rejected: return .active
        case .deleted:
            let log = try await memories.auditLog(memoryID: memory.id)
            let before = log.last { $0.toStatus == .deleted }?.fromStatus ?? .active
            return before == .deleted ? .active : before
        default: throw Failure.notRestorable(memory.id)
        }
    }

    static func reason(_ reason: String?, default fallback: String) -> String {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? fallback : String(trimmed.prefix(1_000))
    }
}
