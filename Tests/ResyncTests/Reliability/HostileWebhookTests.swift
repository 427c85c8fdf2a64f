import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ResyncCore
import TestSupport
import Testing
import Web

/// One hostile request and the status it must get.
struct HostileRequest: Sendable, CustomStringConvertible {
    var name: String
    var path: String
    var headers: HTTPFields
    var body: [UInt8]
    var expected: HTTPResponse.Status

    var description: String { "\(path) \(name)" }
}

/// Forged, replayed, stale, future-dated, tampered, wrong-scheme and missing-header requests on every webhook,
/// through the real application over loopback: each is refused, and nothing is processed (no question reaches
/// the agent, no outbox row, no call to the chat platform). A valid request last proves the path works.
@Suite("Reliability: hostile webhook requests")
struct ReliabilityHostileWebhookTests {
    static let wrongSecret = Secret("not-the-signing-secret-000000000")

    static func slackHeaders(
        _ body: [UInt8], secret: Secret = SlackHarness.secret, signedAt: Date = Date(), sentAt: Date? = nil,
        contentType: String
    ) -> HTTPFields {
        let signedTS = String(Int(signedAt.timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] =
            sentAt.map { String(Int($0.timeIntervalSince1970)) } ?? signedTS
        headers[HTTPField.Name("X-Slack-Signature")!] = SlackSignatureVerifier.signature(
            secret: secret, timestamp: signedTS, body: body)
        return headers
    }

    static func slackCases(responseURL: String) -> [HostileRequest] {
        let interaction =
            #"{"type":"block_actions","trigger_id":"hostile.1","user":{"id":"U1"},"channel":{"id":"C_OPS"},"container":{"type":"message","message_ts":"9.9","channel_id":"C_OPS"},"response_url":"\#(responseURL)","actions":[{"action_id":"resync_show_log","block_id":"b","value":"PAYROLL_FINAL","action_ts":"9.95"}]}"#
        let bodies: [(String, String, String)] = [
            (
                "events", "application/json",
                SlackHarness.mention("status PAYROLL_FINAL", ts: "77.1", eventID: "EvHostile")
            ),
            (
                "commands", "application/x-www-form-urlencoded",
                SlackHarness.formEncoded(SlackHarness.slashCommand("status PAYROLL_FINAL", responseURL: responseURL))
            ),
            (
                "interactivity", "application/x-www-form-urlencoded",
                SlackHarness.formEncoded([("payload", interaction)])
            ),
        ]
        var cases: [HostileRequest] = []
        let now = Date()
        for (endpoint, type, text) in bodies {
            let body = Array(text.utf8)
            let path = "/slack/\(endpoint)"
            func add(_ name: String, _ headers: HTTPFields, _ payload: [UInt8] = body) {
                cases.append(
                    HostileRequest(name: name, path: path, headers: headers, body: payload, expected: .unauthorized))
            }
            add("forged (wrong secret)", slackHeaders(body, secret: wrongSecret, contentType: type))
            add("stale (signed 10 min ago)", slackHeaders(body, signedAt: now - 600, contentType: type))
            add("future-dated (10 min ahead)", slackHeaders(body, signedAt: now + 600, contentType: type))
            add(
                "replayed (old signature, fresh timestamp)",
                slackHeaders(body, signedAt: now - 600, sentAt: now, contentType: type))
            add(
                "tampered body", slackHeaders(body, contentType: type),
                Array(text.replacingOccurrences(of: "PAYROLL", with: "PAYR0LL").utf8))
            var v1 = slackHeaders(body, contentType: type)
            v1[HTTPField.Name("X-Slack-Signature")!] = v1[HTTPField.Name("X-Slack-Signature")!]!.replacingOccurrences(
                of: "v0=", with: "v1=")
            add("wrong scheme (v1=)", v1)
            var noSignature = slackHeaders(body, contentType: type)
            noSignature[HTTPField.Name("X-Slack-Signature")!] = nil
            add("missing signature header", noSignature)
            var noTimestamp = slackHeaders(body, contentType: type)
            noTimestamp[HTTPField.Name("X-Slack-Request-Timestamp")!] = nil
            add("missing timestamp header", noTimestamp)
            var badTimestamp = slackHeaders(body, contentType: type)
            badTimestamp[HTTPField.Name("X-Slack-Request-Timestamp")!] = "1e9"
            add("non-numeric timestamp", badTimestamp)
        }
        return cases
    }

    /// Sends every case, then checks that nothing was processed; returns how many were refused as expected.
    static func sendAll(_ cases: [HostileRequest], _ client: any TestClientProtocol) async throws -> Int {
        var refused = 0
        for request in cases {
            let status = try await client.execute(
                uri: request.path, method: .post, headers: request.headers, body: ByteBuffer(bytes: request.body)
            ) { $0.status }
            #expect(status == request.expected, "\(request): got \(status)")
            if status == request.expected { refused += 1 }
        }
        // Give the processor and the outbox worker (50 ms polls) time to pick up anything that slipped through.
        try await Task.sleep(for: .milliseconds(400))
        return refused
    }

    static func nothingProcessed(_ chat: ChatRuntime, agent: FakeQuestionAnswering) async throws -> Bool {
        let asked = await agent.count
        let outbox = try await chat.outbox.list(status: nil, limit: 100)
        let feedback = try await chat.feedback.recent(since: .distantPast, limit: 100)
        #expect(asked == 0, "the agent was asked \(asked) questions")
        #expect(outbox.isEmpty, "outbox rows: \(outbox.count)")
        #expect(feedback.isEmpty)
        return asked == 0 && outbox.isEmpty && feedback.isEmpty
    }

    @Test func slackRefusesEveryHostileRequestAndProcessesNothing() async throws {
        try await FakeSlackServer.run { slack in
            let agent = FakeQuestionAnswering()
            let harness = try await SlackHarness(slack: slack, answering: agent)
            try await harness.withApp { client, chat in
                let cases = Self.slackCases(responseURL: slack.responseURL("hostile"))
                let refused = try await Self.sendAll(cases, client)
                let clean = try await Self.nothingProcessed(chat, agent: agent)
                #expect(await slack.state.calls.isEmpty)
                // Control: the same request, correctly signed, is answered.
                let valid = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "77.1", eventID: "EvHostile"))
                #expect(valid.status == .ok)
                #expect(await eventually { await agent.count == 1 })
                ReliabilityResults.record(
                    suite: "hostile webhooks", name: "Slack events/commands/interactivity", count: cases.count,
                    passed: refused == cases.count && clean,
                    figures: "\(refused)/\(cases.count) refused with 401; 0 questions, 0 outbox rows, 0 Slack calls")
            }
        }
    }

    static func teamsActivity(id: String, timestamp: Date = Date()) -> [UInt8] {
        Array(
            #"{"type":"message","id":"\#(id)","timestamp":"\#(timestamp.formatted(.iso8601))","from":{"id":"29:ana","name":"Ana"},"conversation":{"id":"19:ops@thread.skype;messageid=\#(id)"},"text":"<at>Resync</at> status PAYROLL_FINAL"}"#
                .utf8)
    }

    static func teamsCases() throws -> [HostileRequest] {
        let verifier = TeamsAppTests.verifier
        let other = try TeamsSignatureVerifier(secret: Secret(Data(repeating: 7, count: 32).base64EncodedString()))
        let body = teamsActivity(id: "hostile-1")
        func request(
            _ name: String, _ authorization: String?, _ expected: HTTPResponse.Status, _ payload: [UInt8] = body
        )
            -> HostileRequest
        {
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.authorization] = authorization
            return HostileRequest(
                name: name, path: "/teams/webhook", headers: headers, body: payload, expected: expected)
        }
        let signature = verifier.authorization(for: body)
        let tampered = Array(
            String(decoding: body, as: UTF8.self).replacingOccurrences(of: "PAYROLL", with: "PAYR0LL").utf8)
        let stale = teamsActivity(id: "hostile-2", timestamp: Date() - 3600)
        let future = teamsActivity(id: "hostile-3", timestamp: Date() + 3600)
        return [
            request("forged (other key)", other.authorization(for: body), .unauthorized),
            request("tampered body", signature, .unauthorized, tampered),
            request(
                "wrong scheme (Bearer)", signature.replacingOccurrences(of: "HMAC ", with: "Bearer "), .unauthorized),
            request("missing Authorization", nil, .unauthorized),
            request("empty HMAC", "HMAC ", .unauthorized),
            request("stale activity (1 h old, signed)", verifier.authorization(for: stale), .conflict, stale),
            request(
                "future-dated activity (1 h ahead, signed)", verifier.authorization(for: future), .conflict, future),
        ]
    }

    @Test func teamsRefusesEveryHostileRequestAndAnswersAReplayOnce() async throws {
        try await TeamsAppTests.withApp(replyBudget: .seconds(3)) { client, chat, endpoint, agent in
            let cases = try Self.teamsCases()
            let refused = try await Self.sendAll(cases, client)
            let clean = try await Self.nothingProcessed(chat, agent: agent)
            #expect(await endpoint.recorder.attempts == 0)
            // A valid activity is answered; the same activity replayed verbatim is refused and not answered again.
            let body = Self.teamsActivity(id: "hostile-replayed")
            let (first, _) = try await TeamsAppTests.post(client, body: body)
            let (replay, _) = try await TeamsAppTests.post(client, body: body)
            #expect(first == .ok)
            #expect(replay == .conflict)
            try await Task.sleep(for: .milliseconds(300))
            let asked = await agent.count
            #expect(asked == 1)
            ReliabilityResults.record(
                suite: "hostile webhooks", name: "Teams outgoing webhook", count: cases.count + 1,
                passed: refused == cases.count && clean && replay == .conflict && asked == 1,
                figures: "\(refused)/\(cases.count) refused (401 signature, 409 stale/future); verbatim replay 409, "
                    + "answered once")
        }
    }

    static func mattermostCases() -> [HostileRequest] {
        let commandFields: (String?) -> [UInt8] = { token in
            Array(
                SlackHarness.formEncoded(
                    [
                        ("channel_id", MattermostAppTests.channel), ("user_id", "c3a4cqe3dfy6dgopqt8ai3hydh"),
                        ("command", "/resync"), ("text", "status PAYROLL_FINAL"), ("trigger_id", UUID().uuidString),
                    ] + (token.map { [("token", $0)] } ?? [])
                ).utf8)
        }
        let webhookJSON: (String?) -> [UInt8] = { token in
            let field = token.map { #","token":"\#($0)""# } ?? ""
            return Array(
                #"{"channel_id":"\#(MattermostAppTests.channel)","post_id":"hostilepost","user_id":"u1","text":"resync status PAYROLL_FINAL","trigger_word":"resync"\#(field)}"#
                    .utf8)
        }
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        let json: HTTPFields = [.contentType: "application/json"]
        var headerOnly = form
        headerOnly[.authorization] = "Bearer \(MattermostRequestTests.slashToken)"
        var wrongHeader = form
        wrongHeader[.authorization] = "Token wrong-token"
        let cmd = "/mattermost/command"
        let hook = "/mattermost/webhook"
        return [
            HostileRequest(
                name: "command: forged token", path: cmd, headers: form, body: commandFields("wrongtoken"),
                expected: .unauthorized),
            HostileRequest(
                name: "command: missing token", path: cmd, headers: form, body: commandFields(nil),
                expected: .unauthorized),
            HostileRequest(
                name: "command: wrong scheme (Bearer)", path: cmd, headers: headerOnly, body: commandFields(nil),
                expected: .unauthorized),
            HostileRequest(
                name: "command: forged header token", path: cmd, headers: wrongHeader, body: commandFields(nil),
                expected: .unauthorized),
            HostileRequest(
                name: "command: outgoing token on the command", path: cmd, headers: form,
                body: commandFields(MattermostRequestTests.outgoingToken), expected: .unauthorized),
            HostileRequest(
                name: "webhook: forged token", path: hook, headers: json, body: webhookJSON("wrongtoken"),
                expected: .unauthorized),
            HostileRequest(
                name: "webhook: missing token", path: hook, headers: json, body: webhookJSON(nil),
                expected: .unauthorized),
            HostileRequest(
                name: "webhook: slash token on the webhook", path: hook, headers: json,
                body: webhookJSON(MattermostRequestTests.slashToken), expected: .unauthorized),
        ]
    }

    @Test func mattermostRefusesEveryHostileRequestAndProcessesNothing() async throws {
        try await MattermostAppTests.withApp { client, chat, server, agent in
            let cases = Self.mattermostCases()
            let refused = try await Self.sendAll(cases, client)
            let clean = try await Self.nothingProcessed(chat, agent: agent)
            #expect(await server.state.botPosts.isEmpty)
            let (status, _) = try await MattermostAppTests.command(client, "status PAYROLL_FINAL")
            #expect(status == .ok)
            #expect(await eventually { await agent.count == 1 })
            ReliabilityResults.record(
                suite: "hostile webhooks", name: "Mattermost command + outgoing webhook", count: cases.count,
                passed: refused == cases.count && clean,
                figures: "\(refused)/\(cases.count) refused with 401; 0 questions, 0 posts (Mattermost signs "
                    + "nothing: no timestamp, so no stale/future case)")
        }
    }
}
