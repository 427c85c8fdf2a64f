import Foundation
import ResyncCore

/// A reaction as the WebSocket's `reaction_added` / `reaction_removed` events carry it.
public struct MattermostReaction: Hashable, Sendable, Decodable {
    public var userID: String
    public var postID: String
    public var emojiName: String
    public var channelID: String?
    /// Milliseconds since 1970.
    public var createAt: Int64?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case postID = "post_id"
        case emojiName = "emoji_name"
        case channelID = "channel_id"
        case createAt = "create_at"
    }
}

/// Which emoji count as feedback, and which way. Skin tones are folded (`+1_skin_tone_3` is `+1`) and
/// aliases map to one signal name (`thumbsup` is `+1`).
public struct MattermostReactionMap: Hashable, Sendable {
    public var positive: Set<String>
    public var negative: Set<String>

    public init(positive: Set<String> = Self.defaultPositive, negative: Set<String> = Self.defaultNegative) {
        self.positive = positive
        self.negative = negative
    }

    public static let defaultPositive: Set<String> = [
        "+1", "white_check_mark", "heavy_check_mark", "ballot_box_with_check", "heart", "tada", "raised_hands",
        "clap", "star", "100", "ok_hand", "muscle", "pray",
    ]
    public static let defaultNegative: Set<String> = [
        "-1", "x", "heavy_multiplication_x", "negative_squared_cross_mark", "no_entry", "confused", "disappointed",
        "thinking", "face_with_raised_eyebrow", "rage", "warning", "question",
    ]

    private static let aliases: [String: String] = [
        "thumbsup": "+1", "thumbs_up": "+1", "like": "+1", "thumbsdown": "-1", "thumbs_down": "-1",
        "heavy_heart_exclamation_mark_ornament": "heart", "hearts": "heart",
        "raised_eyebrow": "face_with_raised_eyebrow",
    ]

    /// The canonical signal for an emoji name: lowercased, skin tone removed, alias resolved.
    public static func normalize(_ emoji: String) -> String {
        var name = emoji.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        if let range = name.range(of: "_skin_tone_", options: .backwards) { name = String(name[..<range.lowerBound]) }
        if let range = name.range(of: #"_tone[1-5]$"#, options: .regularExpression) {
            name = String(name[..<range.lowerBound])
        }
        return aliases[name] ?? name
    }

    /// The feedback polarity of an emoji, nil when it carries no signal.
    public func polarity(of emoji: String) -> Feedback.Polarity? {
        let name = Self.normalize(emoji)
        if positive.contains(name) { return .positive }
        if negative.contains(name) { return .negative }
        return nil
    }

    /// The reaction as feedback on the post reacted to, or nil when the emoji is not a signal.
    public func feedback(for reaction: MattermostReaction, channelID: String, added: Bool, receivedAt: Date)
        -> Feedback?
    {
        guard let polarity = polarity(of: reaction.emojiName) else { return nil }
        let at = reaction.createAt.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? receivedAt
        return Feedback(
            conversation: ConversationRef(platform: .mattermost, channel: channelID, message: reaction.postID),
            user: reaction.userID, polarity: polarity, signal: Self.normalize(reaction.emojiName), added: added,
            at: added ? at : receivedAt)
    }
}

/// Receives feedback from reactions. At merge, the chat core matches `conversation.message` to the outbox
/// item that posted it (`ChatOutboxStore.sentItem`) and records an `AnswerFeedback`.
public protocol MattermostFeedbackSink: Sendable {
    func receive(_ feedback: Feedback) async
    /// A user's reply in a thread (a `posted` event with a `root_id`), kept so a later ✅ can teach it.
    func receiveThreadReply(_ reply: InboundQuestion) async
}

extension MattermostFeedbackSink {
    /// Sinks that only take feedback ignore thread replies.
    public func receiveThreadReply(_ reply: InboundQuestion) async {}
}
