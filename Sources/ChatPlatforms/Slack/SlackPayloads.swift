/// The parts of Slack's inbound JSON that Resync reads; everything else is ignored.
struct SlackEnvelope: Decodable {
    var type: String
    var challenge: String?
    var team_id: String?
    var event_id: String?
    var event: SlackEvent?
    var authorizations: [Authorization]?

    struct Authorization: Decodable {
        var user_id: String?
        var is_bot: Bool?
    }

    /// The bot's own user id, as the envelope's authorizations name it.
    var botUserID: String? {
        authorizations?.first { $0.is_bot == true }?.user_id ?? authorizations?.first?.user_id
    }
}

struct SlackEvent: Decodable {
    var type: String
    var subtype: String?
    var user: String?
    var bot_id: String?
    var text: String?
    var ts: String?
    var thread_ts: String?
    var channel: String?
    var channel_type: String?
    var reaction: String?
    var item: Item?
    var event_ts: String?

    struct Item: Decodable {
        var type: String?
        var channel: String?
        var ts: String?
    }

    enum CodingKeys: String, CodingKey {
        case type, subtype, user, bot_id, text, ts, thread_ts, channel, channel_type, reaction, item, event_ts
    }

    /// Lenient: event types Resync does not use put objects where messages have strings (`channel` of
    /// `channel_created`); such fields read as absent instead of failing the whole request.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func string(_ key: CodingKeys) -> String? { try? container.decodeIfPresent(String.self, forKey: key) }
        type = try container.decode(String.self, forKey: .type)
        subtype = string(.subtype)
        user = string(.user)
        bot_id = string(.bot_id)
        text = string(.text)
        ts = string(.ts)
        thread_ts = string(.thread_ts)
        channel = string(.channel)
        channel_type = string(.channel_type)
        reaction = string(.reaction)
        item = try? container.decodeIfPresent(Item.self, forKey: .item)
        event_ts = string(.event_ts)
    }
}

/// A `block_actions` payload (the `payload` field of an interactivity request).
struct SlackInteractionPayload: Decodable {
    var type: String
    var trigger_id: String?
    var user: User?
    var channel: Channel?
    var container: Container?
    var message: Message?
    var response_url: String?
    var actions: [Action]?

    struct User: Decodable { var id: String }
    struct Channel: Decodable { var id: String }
    struct Container: Decodable {
        var message_ts: String?
        var channel_id: String?
        var thread_ts: String?
    }
    struct Message: Decodable {
        var ts: String?
        var thread_ts: String?
    }
    struct Action: Decodable {
        var action_id: String
        var value: String?
        var action_ts: String?
    }
}
