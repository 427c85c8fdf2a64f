import Foundation
import ResyncCore

/// A custom slash command (`/resync status JOB1`) after its token was checked.
public struct MattermostSlashCommand: Hashable, Sendable {
    public var channelID: String
    public var teamID: String?
    public var userID: String
    public var userName: String?
    public var command: String
    public var text: String
    /// The thread the command was typed in (the server sends `root_id`); empty when typed in the channel.
    public var rootID: String?
    public var triggerID: String?
    public var responseURL: String?

    /// The chat core's form. Commands have no post id, so the dedupe key is the one-off `trigger_id`.
    public func inboundQuestion(receivedAt: Date) -> InboundQuestion {
        let key = triggerID.map { "mattermost:command:\($0)" } ?? "mattermost:command:\(UUID().uuidString)"
        return InboundQuestion(
            dedupeKey: key, text: text, user: userID,
            conversation: ConversationRef(platform: .mattermost, channel: channelID, thread: rootID),
            receivedAt: receivedAt)
    }
}

/// A message that fired the outgoing webhook (trigger word or channel), after its token was checked.
public struct MattermostOutgoingMessage: Hashable, Sendable {
    public var channelID: String
    public var teamID: String?
    public var postID: String
    public var userID: String
    public var userName: String?
    /// The message with the trigger word removed.
    public var text: String
    public var triggerWord: String?

    /// The chat core's form; the triggering post id is the dedupe key and the message to thread under.
    public func inboundQuestion(receivedAt: Date) -> InboundQuestion {
        InboundQuestion(
            dedupeKey: "mattermost:post:\(postID)", text: text, user: userID,
            conversation: ConversationRef(platform: .mattermost, channel: channelID, thread: postID, message: postID),
            receivedAt: receivedAt)
    }
}

/// Checks and reads the two inbound Mattermost integrations. Mattermost signs nothing: the integration
/// token is the credential, compared in constant time.
public struct MattermostRequestReader: Sendable {
    private let slashToken: Secret?
    private let outgoingToken: Secret?

    /// A nil or empty token disables that integration: every request to it is refused.
    public init(slashToken: Secret?, outgoingToken: Secret?) {
        self.slashToken = slashToken
        self.outgoingToken = outgoingToken
    }

    /// `POST /mattermost/command`: form body; token from `Authorization: Token …` or the `token` field.
    public func slashCommand(headers: [String: String], body: [UInt8]) throws(MattermostRequestError)
        -> MattermostSlashCommand
    {
        let fields = try MattermostForm.decode(body)
        let headerToken = Self.header("authorization", in: headers).flatMap(Self.tokenFromAuthorization)
        try Self.check(headerToken ?? fields["token"], against: slashToken)
        guard let channelID = fields["channel_id"].nonEmpty, let userID = fields["user_id"].nonEmpty else {
            throw .malformedBody("channel_id and user_id are required")
        }
        return MattermostSlashCommand(
            channelID: channelID, teamID: fields["team_id"].nonEmpty, userID: userID,
            userName: fields["user_name"].nonEmpty, command: fields["command"] ?? "",
            text: (fields["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            rootID: fields["root_id"].nonEmpty, triggerID: fields["trigger_id"].nonEmpty,
            responseURL: fields["response_url"].nonEmpty)
    }

    /// `POST /mattermost/webhook`: JSON or form body, chosen per hook; token in the `token` field.
    public func outgoingWebhook(headers: [String: String], body: [UInt8]) throws(MattermostRequestError)
        -> MattermostOutgoingMessage
    {
        let contentType = (Self.header("content-type", in: headers) ?? "").lowercased()
        let fields: [String: String]
        if contentType.hasPrefix("application/json") {
            fields = try Self.jsonFields(body)
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
            fields = try MattermostForm.decode(body)
        } else {
            throw .unsupportedContentType(contentType)
        }
        try Self.check(fields["token"], against: outgoingToken)
        guard let channelID = fields["channel_id"].nonEmpty, let userID = fields["user_id"].nonEmpty,
            let postID = fields["post_id"].nonEmpty
        else { throw .malformedBody("channel_id, user_id and post_id are required") }
        let trigger = fields["trigger_word"].nonEmpty
        return MattermostOutgoingMessage(
            channelID: channelID, teamID: fields["team_id"].nonEmpty, postID: postID, userID: userID,
            userName: fields["user_name"].nonEmpty, text: Self.removingTrigger(trigger, from: fields["text"] ?? ""),
            triggerWord: trigger)
    }

    private static func check(_ provided: String?, against expected: Secret?) throws(MattermostRequestError) {
        guard let provided, !provided.isEmpty else { throw .missingToken }
        guard let expected, MattermostToken.matches(provided, expected.value) else { throw .tokenMismatch }
    }

    private static func header(_ name: String, in headers: [String: String]) -> String? {
        headers.first { $0.key.lowercased() == name }?.value
    }

    private static func tokenFromAuthorization(_ value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "token" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    private static func jsonFields(_ body: [UInt8]) throws(MattermostRequestError) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw .malformedBody("not a JSON object")
        }
        // Mattermost sends every field as a string, except `timestamp` (a number); keep what is scalar.
        return object.compactMapValues { value in
            switch value {
            case let string as String: string
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
    }

    private static func removingTrigger(_ trigger: String?, from text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trigger, text.lowercased().hasPrefix(trigger.lowercased()) {
            text = String(text.dropFirst(trigger.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}

extension Optional where Wrapped == String {
    /// The string when present and not empty (Mattermost sends `root_id=` for "none").
    fileprivate var nonEmpty: String? {
        switch self {
        case .some(let value) where !value.isEmpty: value
        default: nil
        }
    }
}
