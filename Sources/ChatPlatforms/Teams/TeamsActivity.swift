import Foundation
import ResyncCore

/// A message an @mention of the outgoing webhook delivered, after verification.
public struct TeamsInboundMessage: Hashable, Sendable {
    /// The activity id; Teams reuses it when it redelivers, so it is the dedupe key.
    public var activityID: String
    /// The text with `<at>…</at>` mentions and markup removed.
    public var text: String
    public var userID: String
    public var userName: String?
    /// The full conversation id (`19:…@thread.skype;messageid=…`).
    public var conversationID: String
    /// The message this one replies to, when Teams says so.
    public var replyToID: String?
    public var timestamp: Date
    public var serviceURL: String?

    public init(
        activityID: String, text: String, userID: String, userName: String?, conversationID: String,
        replyToID: String?, timestamp: Date, serviceURL: String?
    ) {
        self.activityID = activityID
        self.text = text
        self.userID = userID
        self.userName = userName
        self.conversationID = conversationID
        self.replyToID = replyToID
        self.timestamp = timestamp
        self.serviceURL = serviceURL
    }

    /// The channel part of the conversation id (before `;messageid=`).
    public var channelID: String {
        conversationID.components(separatedBy: ";messageid=").first ?? conversationID
    }

    /// The root message of the reply chain: the `messageid` of the conversation id, else `replyToID`.
    public var threadID: String? {
        let parts = conversationID.components(separatedBy: ";messageid=")
        if parts.count == 2, !parts[1].isEmpty { return parts[1] }
        return replyToID
    }

    /// The platform-neutral form the chat core queues (dedupe key `teams:<activity id>`).
    public func inboundQuestion(receivedAt: Date) -> InboundQuestion {
        InboundQuestion(
            dedupeKey: "teams:\(activityID)", text: text, user: userID,
            conversation: ConversationRef(platform: .teams, channel: channelID, thread: threadID, message: activityID),
            receivedAt: receivedAt)
    }
}

/// Reads the Bot Framework activity of an outgoing-webhook request.
public enum TeamsActivityParser {
    /// The largest clock difference accepted between the activity's timestamp and the server's clock.
    public static let maximumSkew: TimeInterval = 5 * 60

    public static func parse(_ body: [UInt8], now: Date) throws(TeamsRequestError) -> TeamsInboundMessage {
        let activity: Activity
        do {
            activity = try JSONDecoder().decode(Activity.self, from: Data(body))
        } catch {
            throw .malformedBody("not a Bot Framework activity JSON object")
        }
        guard activity.type == nil || activity.type == "message" else {
            throw .malformedBody("activity type '\(activity.type ?? "")' is not 'message'")
        }
        guard let id = activity.id, !id.isEmpty else { throw .malformedBody("missing activity id") }
        guard let from = activity.from, let userID = from.id else { throw .malformedBody("missing from.id") }
        guard let conversationID = activity.conversation?.id else { throw .malformedBody("missing conversation.id") }
        guard let rawTimestamp = activity.timestamp, let timestamp = TeamsTimestamp.parse(rawTimestamp) else {
            throw .malformedBody("missing or unreadable timestamp")
        }
        guard abs(now.timeIntervalSince(timestamp)) <= maximumSkew else { throw .staleTimestamp }
        return TeamsInboundMessage(
            activityID: id, text: TeamsText.stripMentions(activity.text ?? ""), userID: userID, userName: from.name,
            conversationID: conversationID, replyToID: activity.replyToId, timestamp: timestamp,
            serviceURL: activity.serviceUrl)
    }

    private struct Activity: Decodable {
        struct Account: Decodable {
            var id: String?
            var name: String?
        }
        struct Conversation: Decodable { var id: String? }

        var type: String?
        var id: String?
        var timestamp: String?
        var serviceUrl: String?
        var from: Account?
        var conversation: Conversation?
        var text: String?
        var replyToId: String?
    }
}

/// Teams timestamps carry up to seven fractional digits (`2016-10-19T20:17:52.2891902Z`), more than
/// the ISO 8601 format styles read, so the fraction is split off and added back.
enum TeamsTimestamp {
    static func parse(_ text: String) -> Date? {
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text[text.index(after: dot)...]
            let digits = afterDot.prefix { $0.isASCII && $0.isNumber }
            let zone = afterDot.dropFirst(digits.count)
            guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
            fraction = value
            whole = String(text[..<dot]) + zone
        }
        guard let date = try? Date(whole, strategy: .iso8601) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}

/// Text clean-up for Teams messages.
public enum TeamsText {
    /// Removes `<at>…</at>` mentions and other tags, decodes common entities and collapses whitespace.
    public static func stripMentions(_ text: String) -> String {
        var result = text.replacingOccurrences(
            of: "<at[^>]*>.*?</at>", with: " ", options: [.regularExpression, .caseInsensitive])
        result = result.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
