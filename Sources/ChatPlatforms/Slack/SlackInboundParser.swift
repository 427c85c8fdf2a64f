import Foundation
import ResyncCore

/// Reads verified Slack requests (Events API JSON, slash-command forms, interactivity forms) into
/// platform-neutral events.
struct SlackInboundParser: Sendable {
    /// Action ids of the buttons Resync puts on answers.
    enum ActionID {
        static let helpful = "resync_helpful"
        static let wrong = "resync_wrong"
        static let showLog = "resync_show_log"
        static let explain = "resync_explain"
    }

    func parse(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound {
        switch request.endpoint {
        case "commands": return try parseCommand(SlashCommandFields(form: request.body), now: now)
        case "interactivity": return try parseInteraction(FormDecoding.decode(request.body), now: now)
        default: return try parseEvent(request.body, now: now)
        }
    }

    // MARK: Events API

    func parseEvent(_ body: [UInt8], now: Date) throws(ChatRequestError) -> ChatInbound {
        let envelope: SlackEnvelope
        do {
            envelope = try JSONDecoder().decode(SlackEnvelope.self, from: Data(body))
        } catch {
            throw .malformedBody("not a Slack Events API JSON object")
        }
        switch envelope.type {
        case "url_verification":
            guard let challenge = envelope.challenge else { throw .malformedBody("url_verification without challenge") }
            return .challenge(challenge)
        case "event_callback":
            guard let event = envelope.event else { throw .malformedBody("event_callback without event") }
            return parse(event, botUserID: envelope.botUserID, now: now)
        default:
            return .ignored(reason: "envelope type \(envelope.type)")
        }
    }

    func parse(_ event: SlackEvent, botUserID: String?, now: Date) -> ChatInbound {
        // The bot's own posts, other bots' posts and edits/deletions never become questions.
        if event.bot_id != nil || (botUserID != nil && event.user == botUserID) {
            return .ignored(reason: "message from a bot")
        }
        switch event.type {
        case "app_mention":
            return question(from: event, botUserID: botUserID, now: now, onlyInBotThreads: false)
        case "message":
            if let subtype = event.subtype, subtype != "thread_broadcast" {
                return .ignored(reason: "message subtype \(subtype)")
            }
            if event.channel_type == "im" {
                return question(from: event, botUserID: botUserID, now: now, onlyInBotThreads: false)
            }
            if event.thread_ts != nil && event.thread_ts != event.ts {
                // Mentions come as app_mention too, under the same dedupe key; either copy answers once.
                return question(from: event, botUserID: botUserID, now: now, onlyInBotThreads: true)
            }
            return .ignored(reason: "channel message without a mention")
        case "reaction_added", "reaction_removed":
            return reaction(from: event, added: event.type == "reaction_added", now: now)
        default:
            return .ignored(reason: "event type \(event.type)")
        }
    }

    func question(from event: SlackEvent, botUserID: String?, now: Date, onlyInBotThreads: Bool) -> ChatInbound {
        guard let channel = event.channel, let ts = event.ts, let user = event.user else {
            return .ignored(reason: "message without channel, ts or user")
        }
        let text = Self.strippingMentions(event.text ?? "", botUserID: botUserID)
        let conversation = ConversationRef(platform: .slack, channel: channel, thread: event.thread_ts, message: ts)
        // channel+ts names the message itself, so app_mention and message copies and every retry share it.
        let question = InboundQuestion(
            dedupeKey: "slack:msg:\(channel):\(ts)", text: text.isEmpty ? "help" : text, user: user,
            conversation: conversation, receivedAt: now)
        // A thread reply's `message` copy is addressed only when it mentions the bot (its app_mention copy may lose
        // the race to be recorded first); one without a mention may be operators talking to each other.
        let addressed = !onlyInBotThreads || Self.mentionsBot(event.text ?? "", botUserID: botUserID)
        return .question(
            InboundWorkItem(question: question, replyInThread: true, addressed: addressed),
            onlyInBotThreads: onlyInBotThreads)
    }

    func reaction(from event: SlackEvent, added: Bool, now: Date) -> ChatInbound {
        guard let item = event.item, item.type == nil || item.type == "message", let channel = item.channel,
            let ts = item.ts, let user = event.user, let name = event.reaction
        else { return .ignored(reason: "reaction on something other than a message") }
        let signal = Self.normalisedReaction(name)
        guard let polarity = Self.polarity(ofReaction: signal) else {
            return .ignored(reason: "reaction :\(signal): carries no feedback")
        }
        let conversation = ConversationRef(platform: .slack, channel: channel, message: ts)
        return .reaction(
            Feedback(conversation: conversation, user: user, polarity: polarity, signal: signal, added: added, at: now))
    }

    /// `+1::skin-tone-3` → `+1`; `thumbsup` → `+1` (same emoji, two names).
    static func normalisedReaction(_ name: String) -> String {
        let base = name.components(separatedBy: "::").first ?? name
        return switch base {
        case "thumbsup": "+1"
        case "thumbsdown": "-1"
        default: base
        }
    }

    static let positiveReactions: Set<String> = [
        "+1", "white_check_mark", "heavy_check_mark", "ballot_box_with_check", "heart", "tada", "raised_hands", "clap",
        "ok_hand", "100", "star",
    ]
    static let negativeReactions: Set<String> = [
        "-1", "x", "heavy_multiplication_x", "no_entry", "no_entry_sign", "disappointed", "confused", "thinking_face",
        "warning",
    ]

    static func polarity(ofReaction name: String) -> Feedback.Polarity? {
        if positiveReactions.contains(name) { return .positive }
        if negativeReactions.contains(name) { return .negative }
        return nil
    }

    /// Whether the text mentions the bot: `<@BOT>` anywhere, or, when the bot's id is unknown, a leading mention.
    static func mentionsBot(_ text: String, botUserID: String?) -> Bool {
        if let botUserID { return text.contains("<@\(botUserID)>") }
        return text.trimmedWhitespace.hasPrefix("<@")
    }

    /// Removes `<@BOT>` (or, when the bot's id is unknown, a leading mention) and trims.
    static func strippingMentions(_ text: String, botUserID: String?) -> String {
        var result = text
        if let botUserID {
            result = result.replacingOccurrences(of: "<@\(botUserID)>", with: " ")
        } else if result.hasPrefix("<@"), let end = result.firstIndex(of: ">") {
            result = String(result[result.index(after: end)...])
        }
        return result.trimmedWhitespace
            .replacingOccurrences(of: "  ", with: " ")
    }

    // MARK: Slash commands

    func parseCommand(_ form: SlashCommandFields, now: Date) throws(ChatRequestError) -> ChatInbound {
        if form.sslCheck == "1" { return .probe }
        guard let channel = form.channelID, let user = form.userID, let trigger = form.triggerID else {
            throw .malformedBody("slash command without channel_id, user_id or trigger_id")
        }
        let team = form.teamID ?? "-"
        let text = (form.text ?? "").trimmedWhitespace
        let question = InboundQuestion(
            dedupeKey: "slack:cmd:\(team):\(user):\(trigger)", text: text.isEmpty ? "help" : text, user: user,
            conversation: ConversationRef(platform: .slack, channel: channel), receivedAt: now)
        let responseURL = form.responseURL.flatMap { Self.isHTTPURL($0) ? $0 : nil }
        return .question(
            InboundWorkItem(question: question, replyInThread: false, fallbackURL: responseURL), onlyInBotThreads: false
        )
    }

    // MARK: Interactivity

    func parseInteraction(_ form: [String: String], now: Date) throws(ChatRequestError) -> ChatInbound {
        guard let raw = form["payload"] else { throw .malformedBody("interactivity request without payload") }
        let payload: SlackInteractionPayload
        do {
            payload = try JSONDecoder().decode(SlackInteractionPayload.self, from: Data(raw.utf8))
        } catch {
            throw .malformedBody("interactivity payload is not the expected JSON")
        }
        guard payload.type == "block_actions", let action = payload.actions?.first else {
            return .ignored(reason: "interaction type \(payload.type)")
        }
        guard let user = payload.user?.id,
            let channel = payload.channel?.id ?? payload.container?.channel_id,
            let messageTS = payload.container?.message_ts ?? payload.message?.ts
        else { throw .malformedBody("block_actions without user, channel or message") }
        let kind: ChatInteraction.Action
        switch action.action_id {
        case ActionID.helpful: kind = .feedback(.positive)
        case ActionID.wrong: kind = .feedback(.negative)
        case ActionID.showLog, ActionID.explain:
            guard let job = action.value, !job.isEmpty else { return .ignored(reason: "button without a job") }
            kind = action.action_id == ActionID.showLog ? .showLog(jobName: job) : .explain(jobName: job)
        default:
            return .ignored(reason: "unknown action \(action.action_id)")
        }
        let thread = payload.container?.thread_ts ?? payload.message?.thread_ts
        let key = "slack:act:\(payload.trigger_id ?? "\(user):\(action.action_ts ?? messageTS)")"
        return .interaction(
            ChatInteraction(
                dedupeKey: key, action: kind, user: user,
                conversation: ConversationRef(platform: .slack, channel: channel, thread: thread, message: messageTS),
                responseURL: payload.response_url.flatMap { Self.isHTTPURL($0) ? $0 : nil }, receivedAt: now))
    }

    static func isHTTPURL(_ raw: String) -> Bool {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "https" || scheme == "http"
    }
}
