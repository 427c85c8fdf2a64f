import Foundation
import ResyncCore

/// What `review.mustache` prints. Every string goes through `{{…}}`, which HTML-escapes it.
struct ReviewView {
    struct Tab {
        var key: String
        var label: String
        var count: Int
        var current: Bool
        var href: String
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct LogLine {
        var at: String
        var actor: String
        var action: String
        var change: String
        var reason: String
    }

    struct Card {
        var id: String
        var kindLabel: String
        var status: String
        var job: String?
        var errorSignature: String?
        var platform: String?
        var question: String?
        var text: String
        var author: String?
        var created: String
        var sourceLink: String?
        var positive: Int
        var negative: Int
        var auditorScore: String?
        var auditorReason: String?
        var usedKnowledge: String?
        var log: [LogLine]
        var logCount: Int
        var canApprove: Bool
        var canReject: Bool
        var canDelete: Bool
        var canRestore: Bool
    }

    var chrome: PageChrome
    var labels: ReviewLabels
    var tabs: [Tab]
    var currentTab: String
    var job: String
    var text: String
    var from: String
    var to: String
    var platforms: [Option]
    var kinds: [Option]
    var cards: [Card]
    var isEmpty: Bool
    /// Where actions send the reviewer back to: this page with its filters.
    var back: String
    var notice: String?

    init(
        chrome: PageChrome, query: ReviewQuery, raw: [String: String], counts: ReviewCounts, memories: [Memory],
        logs: [String: [AuditLogEntry]], notice: String?
    ) {
        let language = Language(rawValue: chrome.language) ?? .english
        let labels = ReviewLabels.of(language)
        self.chrome = chrome
        self.labels = labels
        self.currentTab = query.tab.rawValue
        self.job = raw["job"] ?? ""
        self.text = raw["q"] ?? ""
        self.from = raw["from"] ?? ""
        self.to = raw["to"] ?? ""
        let filters = raw.filter {
            ["job", "q", "from", "to", "platform", "kind", "lang"].contains($0.key) && !$0.value.isEmpty
        }
        self.tabs = ReviewTab.allCases.map { tab in
            var parameters = filters
            parameters["status"] = tab.rawValue
            return Tab(
                key: tab.rawValue, label: Self.label(tab, labels), count: counts[tab], current: tab == query.tab,
                href: "/revisao?" + Self.queryString(parameters))
        }
        var backParameters = filters
        backParameters["status"] = query.tab.rawValue
        self.back = "/revisao?" + Self.queryString(backParameters)
        self.platforms = ChatPlatformKind.allCases.map {
            Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.platform)
        }
        self.kinds = MemoryKind.allCases.map {
            Option(value: $0.rawValue, label: Self.label($0, labels), selected: $0 == query.kind)
        }
        self.cards = memories.map { Self.card($0, log: logs[$0.id] ?? [], labels: labels) }
        self.isEmpty = memories.isEmpty
        self.notice = notice
    }

    static func card(_ memory: Memory, log: [AuditLogEntry], labels: ReviewLabels) -> Card {
        let used = memory.usedKnowledgeKeys + memory.usedMemoryIDs
        return Card(
            id: memory.id, kindLabel: label(memory.kind, labels), status: memory.status.rawValue,
            job: memory.jobName, errorSignature: memory.errorSignature,
            platform: memory.conversation?.platform.rawValue, question: memory.question, text: memory.text,
            author: memory.author, created: timestamp(memory.createdAt), sourceLink: safeLink(memory.sourceLink),
            positive: memory.feedback.positive, negative: memory.feedback.negative,
            auditorScore: memory.auditorScore.map { String(format: "%.2f", $0) }, auditorReason: memory.auditorReason,
            usedKnowledge: used.isEmpty ? nil : used.joined(separator: ", "),
            log: log.reversed().map { entry in
                LogLine(
                    at: timestamp(entry.at), actor: entry.actor, action: entry.action,
                    change: [entry.fromStatus?.rawValue, entry.toStatus?.rawValue].compactMap { $0 }.joined(
                        separator: " → "),
                    reason: entry.reason)
            },
            logCount: log.count,
            canApprove: memory.status != .approved && memory.status != .deleted,
            canReject: memory.status == .active || memory.status == .flagged || memory.status == .approved,
            canDelete: memory.status != .deleted,
            canRestore: memory.status == .rejected || memory.status == .deleted)
    }

    /// Only http(s) links become `href`s; anything else (`javascript:`) is dropped.
    static func safeLink(_ link: String?) -> String? {
        guard let link, let scheme = URL(string: link)?.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else { return nil }
        return link
    }

    static func label(_ tab: ReviewTab, _ labels: ReviewLabels) -> String {
        switch tab {
        case .pending: labels.pending
        case .flagged: labels.flagged
        case .approved: labels.approved
        case .rejected: labels.rejected
        case .deleted: labels.deleted
        }
    }

    static func label(_ kind: MemoryKind, _ labels: ReviewLabels) -> String {
        kind == .answeredQuestion ? labels.answeredQuestion : labels.knownSolution
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    static func queryString(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
    }
}

/// What `review-confirm.mustache` prints: the confirmation step of reject and delete.
struct ReviewConfirmView {
    var chrome: PageChrome
    var labels: ReviewLabels
    var id: String
    var action: String
    var actionLabel: String
    var question: String
    var text: String
    var back: String
}
