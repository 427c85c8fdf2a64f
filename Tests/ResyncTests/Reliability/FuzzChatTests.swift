import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

@testable import ChatPlatforms

/// Seeded mutations of valid webhook requests and socket frames: each parser returns a value or its typed
/// error, never crashes, and never takes long. `RESYNC_FUZZ_ITERATIONS` / `RESYNC_FUZZ_SECONDS` bound a run.
@Suite("Reliability: fuzzing chat inputs")
struct ReliabilityFuzzChatTests {
    static let now = Date()

    static let slack = try! SlackPlatform(
        signingSecret: Secret("fuzz-signing-secret"), botToken: Secret("xoxb-fuzz"),
        apiBaseURL: "http://127.0.0.1:1/api", logger: Logger(label: "test.fuzz"))

    static let slackEvents: [[UInt8]] = [
        #"{"type":"url_verification","token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"#,
        #"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1,"authorizations":[{"user_id":"UBOT","is_bot":true}],"event":{"type":"app_mention","text":"<@UBOT> status PAYROLL_FINAL","user":"U1","ts":"1.1","channel":"C1"}}"#,
        #"{"type":"event_callback","event":{"type":"message","channel_type":"channel","text":"e o responsável?","user":"U9","ts":"6.2","thread_ts":"6.1","channel":"C1"}}"#,
        #"{"type":"event_callback","event":{"type":"reaction_added","user":"U2","reaction":"+1::skin-tone-3","item_user":"UBOT","item":{"type":"message","channel":"C1","ts":"2.2"},"event_ts":"2.3"}}"#,
        #"{"type":"event_callback","event":{"type":"message","channel_type":"im","text":"failed jobs","user":"U9","ts":"5.1","channel":"D1"}}"#,
    ].map { Array($0.utf8) }

    static let slackCommands: [[UInt8]] = [
        "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fresync&text=status+PAYROLL_FINAL"
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=13345224609.738474920.8088930838d",
        "ssl_check=1&token=x", "channel_id=C1&user_id=U1&trigger_id=t&text=%E2%9C%85+falhas+hoje",
    ].map { Array($0.utf8) }

    static let slackInteractions: [[UInt8]] = {
        let payloads = [
            #"{"type":"block_actions","trigger_id":"111.222","user":{"id":"U1"},"channel":{"id":"C1"},"container":{"type":"message","message_ts":"9.9","channel_id":"C1","thread_ts":"9.1"},"response_url":"https://hooks.slack.com/actions/T1/1/x","actions":[{"action_id":"resync_show_log","block_id":"b","value":"PAYROLL_FINAL","action_ts":"9.95"}]}"#,
            #"{"type":"block_actions","user":{"id":"U1"},"container":{"message_ts":"9.9","channel_id":"C1"},"actions":[{"action_id":"resync_helpful"}]}"#,
        ]
        return payloads.map {
            Array(("payload=" + $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).utf8)
        }
    }()

    static func slackVerdict(_ endpoint: String, _ body: [UInt8]) -> FuzzVerdict {
        do throws(ChatRequestError) {
            _ = try slack.parse(RawChatRequest(endpoint: endpoint, headers: [:], body: body), now: now)
            return .accepted
        } catch {
            return .rejected
        }
    }

    @Test(arguments: ["events", "commands", "interactivity"])
    func slackBodies(endpoint: String) async {
        let samples = ["events": Self.slackEvents, "commands": Self.slackCommands][endpoint] ?? Self.slackInteractions
        let summary = await FuzzRunner.run("slack \(endpoint)", samples: samples) { Self.slackVerdict(endpoint, $0) }
        expectSound(summary, minimumAccepted: samples.count)
    }

    @Test func slackSignatureHeaders() async throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Secret("fuzz-signing-secret"))
        let body = Self.slackCommands[0]
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        let signature = SlackSignatureVerifier.signature(
            secret: Secret("fuzz-signing-secret"), timestamp: timestamp, body: body)
        // Input: "<timestamp>\n<signature>"; the mutations reach either header.
        let sample = Array("\(timestamp)\n\(signature)".utf8)
        let summary = await FuzzRunner.run("slack signature headers", samples: [sample]) { input in
            let parts = input.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
            let header = { (index: Int) in index < parts.count ? String(decoding: parts[index], as: UTF8.self) : "" }
            do throws(ChatRequestError) {
                try verifier.verify(body: body, timestamp: header(0), signature: header(1), now: Self.now)
                return .accepted
            } catch {
                return .rejected
            }
        }
        expectSound(summary, minimumAccepted: 1)
    }

    static let teamsActivities: [[UInt8]] = [
        TeamsResponderTests.activity(id: "fuzz-1"),
        TeamsResponderTests.activity(id: "fuzz-2", text: "<at>Resync</at> quem cuida do BKP_DB_DAILY? 🙂"),
    ]

    @Test func teamsActivities() async {
        let summary = await FuzzRunner.run("teams activity", samples: Self.teamsActivities) { body in
            do throws(TeamsRequestError) {
                _ = try TeamsActivityParser.parse(body, now: Self.now)
                return .accepted
            } catch {
                return .rejected
            }
        }
        expectSound(summary, minimumAccepted: Self.teamsActivities.count)
    }

    @Test func teamsHMACHeader() async throws {
        let verifier = try TeamsSignatureVerifier(secret: TeamsSignatureTests.sampleKey)
        let body = Self.teamsActivities[0]
        let summary = await FuzzRunner.run(
            "teams HMAC header", samples: [Array(verifier.authorization(for: body).utf8)]
        ) {
            do throws(TeamsRequestError) {
                try verifier.verify(authorization: String(decoding: $0, as: UTF8.self), body: body)
                return .accepted
            } catch {
                return .rejected
            }
        }
        expectSound(summary, minimumAccepted: 1)
    }

    static let mattermostWebhookJSON = Array(
        #"{"token":"zmigewsanbbsdf59xnmduzypjc","team_id":"t1","channel_id":"c1","post_id":"p1","user_id":"u1","user_name":"ana","text":"resync status PAYROLL_FINAL","trigger_word":"resync","timestamp":1700000000000}"#
            .utf8)

    @Test(arguments: ["command", "webhook-form", "webhook-json"])
    func mattermostRequests(kind: String) async {
        let reader = MattermostRequestTests.reader
        let form = MattermostRequestTests.commandForm()
        let outgoingForm = Array(
            ("token=\(MattermostRequestTests.outgoingToken)&channel_id=c1&post_id=p1&user_id=u1&text=resync+falhas"
                + "&trigger_word=resync").utf8)
        let samples =
            kind == "command" ? [form] : kind == "webhook-form" ? [outgoingForm] : [Self.mattermostWebhookJSON]
        let contentType = kind == "webhook-json" ? "application/json" : "application/x-www-form-urlencoded"
        let summary = await FuzzRunner.run("mattermost \(kind)", samples: samples) { body in
            do throws(MattermostRequestError) {
                if kind == "command" {
                    _ = try reader.slashCommand(headers: [:], body: body)
                } else {
                    _ = try reader.outgoingWebhook(headers: ["content-type": contentType], body: body)
                }
                return .accepted
            } catch {
                return .rejected
            }
        }
        expectSound(summary, minimumAccepted: 1)
    }

    @Test func mattermostWebSocketFrames() async {
        let reaction = #"{\"user_id\":\"u1\",\"post_id\":\"p1\",\"emoji_name\":\"+1\",\"create_at\":1}"#
        let samples = [
            #"{"event":"hello","data":{"server_version":"9.5.0"},"broadcast":{"user_id":"bot"},"seq":0}"#,
            #"{"status":"OK","seq_reply":1}"#,
            #"{"event":"reaction_added","data":{"reaction":"\#(reaction)"},"broadcast":{"channel_id":"c1"},"seq":2}"#,
        ].map { Array($0.utf8) }
        let summary = await FuzzRunner.run("mattermost websocket frame", samples: samples) { bytes in
            guard let frame = MattermostWebSocketFrame.decode(String(decoding: bytes, as: UTF8.self)) else {
                return .rejected
            }
            _ = frame.reaction
            return .accepted
        }
        expectSound(summary, minimumAccepted: samples.count)
    }
}
