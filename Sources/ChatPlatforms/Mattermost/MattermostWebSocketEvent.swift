import Foundation

/// One frame from `/api/v4/websocket`: an event (`hello`, `posted`, `reaction_added`…) or the reply to a
/// request Resync sent (`seq_reply`).
struct MattermostWebSocketFrame: Decodable {
    struct Broadcast: Decodable {
        var channelID: String?
        var userID: String?

        enum CodingKeys: String, CodingKey {
            case channelID = "channel_id"
            case userID = "user_id"
        }
    }

    struct EventData: Decodable {
        /// For reaction events, the reaction encoded as a JSON string inside the JSON.
        var reaction: String?
        /// For `posted` events, the post encoded as a JSON string inside the JSON.
        var post: String?
    }

    var event: String?
    var data: EventData?
    var broadcast: Broadcast?
    var status: String?
    var seqReply: Int?

    enum CodingKeys: String, CodingKey {
        case event, data, broadcast, status
        case seqReply = "seq_reply"
    }

    static func decode(_ text: String) -> MattermostWebSocketFrame? {
        try? JSONDecoder().decode(MattermostWebSocketFrame.self, from: Data(text.utf8))
    }

    /// The reaction of a `reaction_added` / `reaction_removed` event, decoded from its inner JSON string.
    var reaction: MattermostReaction? {
        guard let text = data?.reaction else { return nil }
        return try? JSONDecoder().decode(MattermostReaction.self, from: Data(text.utf8))
    }

    /// The post of a `posted` event, decoded from its inner JSON string.
    var post: MattermostPost? {
        guard let text = data?.post else { return nil }
        return try? JSONDecoder().decode(MattermostPost.self, from: Data(text.utf8))
    }
}

/// The first message on the socket: authenticates with the bot token.
enum MattermostAuthenticationChallenge {
    static func message(token: String, seq: Int = 1) -> String {
        struct Challenge: Encodable {
            struct Payload: Encodable { var token: String }
            var seq: Int
            var action = "authentication_challenge"
            var data: Payload
        }
        let challenge = Challenge(seq: seq, data: .init(token: token))
        guard let data = try? JSONEncoder().encode(challenge) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
