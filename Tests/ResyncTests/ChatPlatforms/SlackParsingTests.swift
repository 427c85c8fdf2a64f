import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import Testing

@Suite("Slack inbound parsing")
struct SlackParsingTests {
    static let now = Date(timeIntervalSince1970: 1_595_926_230)

    func platform() throws -> SlackPlatform {
        try SlackPlatform(
            signingSecret: Secret("secret"), botToken: Secret("xoxb-test"), apiBaseURL: "http://127.0.0.1:1/api",
            logger: Logger(label: "test.slack"))
    }

    func parse(_ endpoint: String, _ body: String) throws -> ChatInbound {
        try platform().parse(RawChatRequest(endpoint: endpoint, headers: [:], body: Array(body.utf8)), now: Self.now)
    }

    static func event(_ event: String) -> String {
        #"{"token":"t","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev111","event_time":1595926230,"authorizations":[{"team_id":"T111","user_id":"W111","is_bot":true}],"event":"#
            + event + "}"
    }

    @Test func urlVerificationEchoesTheChallenge() throws {
        let body =
            #"{"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}"#
        #expect(try parse("events", body) == .challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    }

    @Test func appMentionStripsTheBotAndThreadsUnderTheMessage() throws {
        let body = Self.event(
            #"{"client_msg_id":"9cbd","type":"app_mention","text":"<@W111> status  PAYROLL_FINAL","user":"W222","ts":"1595926230.009600","team":"T111","channel":"C111","event_ts":"1595926230.009600"}"#
        )
        guard case .question(let item, let onlyInBotThreads) = try parse("events", body) else {
            Issue.record("expected a question")
            return
        }
        #expect(!onlyInBotThreads)
        #expect(item.question.text == "status PAYROLL_FINAL")
        #expect(item.question.user == "W222")
        #expect(item.question.dedupeKey == "slack:msg:C111:1595926230.009600")
        #expect(
            item.question.conversation
                == ConversationRef(platform: .slack, channel: "C111", message: "1595926230.009600"))
        #expect(item.replyInThread)
    }

    @Test func directMessagesAndThreadRepliesBecomeQuestions() throws {
        let im = Self.event(
            #"{"type":"message","channel_type":"im","text":"failed jobs","user":"U9","ts":"5.1","channel":"D1"}"#)
        guard case .question(let dm, false) = try parse("events", im) else {
            Issue.record("expected a DM question")
            return
        }
        #expect(dm.question.text == "failed jobs")
        let reply = Self.event(
            #"{"type":"message","channel_type":"channel","text":"e o responsável?","user":"U9","ts":"6.2","thread_ts":"6.1","channel":"C1"}"#
        )
        guard case .question(let followUp, true) = try parse("events", reply) else {
            Issue.record("expected a thread follow-up limited to bot threads")
            return
        }
        #expect(followUp.question.conversation.thread == "6.1")
        #expect(followUp.question.text == "e o responsável?")
        #expect(dm.addressed)
        // A thread reply is addressed to Resync only when it mentions the bot.
        #expect(!followUp.addressed)
        let mentioning = Self.event(
            #"{"type":"message","channel_type":"channel","text":"<@W111> valeu","user":"U9","ts":"6.3","thread_ts":"6.1","channel":"C1"}"#
        )
        guard case .question(let addressedReply, true) = try parse("events", mentioning) else {
            Issue.record("expected a thread reply mentioning the bot")
            return
        }
        #expect(addressedReply.addressed)
        #expect(addressedReply.question.text == "valeu")
    }

    @Test(
        "own messages, other bots, edits and plain channel chatter are ignored",
        arguments: [
            #"{"type":"message","channel_type":"im","text":"hi","user":"W111","ts":"1.1","channel":"D1"}"#,
            #"{"type":"message","channel_type":"channel","text":"answer","bot_id":"B1","ts":"1.2","thread_ts":"1.0","channel":"C1"}"#,
            #"{"type":"app_mention","text":"<@W111> hi","bot_id":"B2","user":"U5","ts":"1.3","channel":"C1"}"#,
            #"{"type":"message","subtype":"message_changed","channel":"C1","ts":"1.4"}"#,
            #"{"type":"message","subtype":"message_deleted","channel":"C1","ts":"1.5"}"#,
            #"{"type":"message","channel_type":"channel","text":"lunch?","user":"U5","ts":"1.6","channel":"C1"}"#,
            #"{"type":"channel_created","channel":{"id":"C9"}}"#,
        ])
    func ignoredEvents(event: String) throws {
        guard case .ignored = try parse("events", Self.event(event)) else {
            Issue.record("expected the event to be ignored: \(event)")
            return
        }
    }

    @Test(
        "reactions are normalised",
        arguments: [
            ("+1::skin-tone-2", "+1", Feedback.Polarity.positive), ("thumbsup", "+1", .positive),
            ("white_check_mark", "white_check_mark", .positive), ("-1::skin-tone-6", "-1", .negative),
            ("x", "x", .negative),
        ])
    func reactions(name: String, signal: String, polarity: Feedback.Polarity) throws {
        let body = Self.event(
            #"{"type":"reaction_removed","user":"U123","reaction":"\#(name)","item_user":"W111","item":{"type":"message","channel":"C111","ts":"1599529504.000400"},"event_ts":"1599616881.000800"}"#
        )
        guard case .reaction(let feedback) = try parse("events", body) else {
            Issue.record("expected a reaction")
            return
        }
        #expect(feedback.signal == signal)
        #expect(feedback.polarity == polarity)
        #expect(!feedback.added)
        #expect(feedback.conversation.message == "1599529504.000400")
        #expect(feedback.conversation.channel == "C111")
    }

    @Test func reactionsWithoutFeedbackMeaningAreIgnored() throws {
        let body = Self.event(
            #"{"type":"reaction_added","user":"U1","reaction":"heart_eyes","item":{"type":"message","channel":"C1","ts":"1.1"},"event_ts":"2.2"}"#
        )
        guard case .ignored = try parse("events", body) else {
            Issue.record("heart_eyes carries no feedback")
            return
        }
    }

    @Test func slashCommandsAndSSLCheck() throws {
        let body =
            "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fresync&text=status+PAYROLL_FINAL%20now&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=123.456"
        guard case .question(let item, false) = try parse("commands", body) else {
            Issue.record("expected a command question")
            return
        }
        #expect(item.question.text == "status PAYROLL_FINAL now")
        #expect(item.question.dedupeKey == "slack:cmd:T1:U1:123.456")
        #expect(item.fallbackURL == "https://hooks.slack.com/commands/1")
        #expect(!item.replyInThread)
        #expect(item.question.conversation.thread == nil)
        #expect(try parse("commands", "ssl_check=1&token=x") == .probe)
        guard case .question(let empty, _) = try parse("commands", "channel_id=C1&user_id=U1&trigger_id=9&text=") else {
            Issue.record("expected help")
            return
        }
        #expect(empty.question.text == "help")
    }

    @Test(
        "malformed bodies",
        arguments: [
            ("events", "{not json"), ("events", #"{"type":"event_callback"}"#),
            ("events", #"{"type":"url_verification"}"#),
            ("commands", "channel_id=C1&text=%ZZ"), ("commands", "channel_id=C1&text=%C3%28&user_id=U&trigger_id=1"),
            ("commands", "text=hello"), ("interactivity", "payload=%7Bbroken"), ("interactivity", "nopayload=1"),
        ])
    func malformedBodiesAreRefused(endpoint: String, body: String) throws {
        #expect(throws: ChatRequestError.self) { try parse(endpoint, body) }
    }

    @Test func buttonsBecomeInteractions() throws {
        let payload =
            #"{"type":"block_actions","trigger_id":"111.222","user":{"id":"U1"},"channel":{"id":"C1"},"container":{"type":"message","message_ts":"9.9","channel_id":"C1","thread_ts":"9.1"},"response_url":"https://hooks.slack.com/actions/T1/1/x","actions":[{"action_id":"resync_show_log","block_id":"b","value":"PAYROLL_FINAL","action_ts":"9.95"}]}"#
        let body = "payload=" + (payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        guard case .interaction(let interaction) = try parse("interactivity", body) else {
            Issue.record("expected an interaction")
            return
        }
        #expect(interaction.action == .showLog(jobName: "PAYROLL_FINAL"))
        #expect(
            interaction.conversation == ConversationRef(platform: .slack, channel: "C1", thread: "9.1", message: "9.9"))
        #expect(interaction.dedupeKey == "slack:act:111.222")
        #expect(interaction.responseURL == "https://hooks.slack.com/actions/T1/1/x")
    }
}
