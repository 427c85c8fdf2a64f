import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The whole product as `resync serve` builds it — embedded HWA simulator over loopback HTTP, the sample
/// knowledge base imported from Config/knowledge_base.xlsx, the deterministic agent, the Slack adapter
/// and its durable outbox — against a fake Slack Web API, with every secret set to a recognisable canary.
@Suite("Full stack: Slack → agent → HWA simulator + knowledge base", .serialized)
struct FullStackSlackTests {
    static let canaries = [
        "canary-signing-secret-7f3a", "xoxb-canary-bot-token-91c2", "canary-llm-key-55d0", "canary-tws-password-18e4",
    ]

    static func environment(slack: FakeSlackServer, database: String) -> [String: String] {
        let root = RepositoryPaths.root
        return [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite://\(database)",
            "KNOWLEDGE_BASE_PATH": root.appendingPathComponent("Config/knowledge_base.xlsx").path,
            "TWS_MOCK_DATA": root.appendingPathComponent("Config/mock_tws_data.json").path,
            "TWS_PASSWORD": canaries[3], "TWS_USER": "resync_ro", "LLM_API_KEY": canaries[2],
            "SLACK_SIGNING_SECRET": canaries[0], "SLACK_BOT_TOKEN": canaries[1], "SLACK_API_BASE_URL": slack.apiBaseURL,
        ]
    }

    static func signed(_ body: String, secret: String, timestamp: Date = Date()) -> HTTPFields {
        let ts = String(Int(timestamp.timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] = ts
        headers[HTTPField.Name("X-Slack-Signature")!] = SlackSignatureVerifier.signature(
            secret: Secret(secret), timestamp: ts, body: Array(body.utf8))
        return headers
    }

    static func command(_ text: String, trigger: String, responseURL: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let fields = [
            ("team_id", "T1"), ("channel_id", "C_OPS"), ("user_id", "U_OPERATOR"), ("command", "/resync"),
            ("text", text), ("response_url", responseURL), ("trigger_id", trigger),
        ]
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    @Test func slashCommandGetsLiveStatusAndTeamKnowledgeWithoutLeakingSecrets() async throws {
        let logs = CapturedLogs()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-e2e-\(UUID().uuidString)")
        try await FakeSlackServer.run { slack in
            let config = try AppConfig.load(
                environment: Self.environment(slack: slack, database: folder.appendingPathComponent("db.sqlite").path))
            let dependencies = try await ResyncApplication.makeDependencies(
                config: config, registry: TestMetrics.registry, logger: logs.logger(label: "test.e2e"))
            let responses = try await ResyncApplication.buildApplication(dependencies).test(.live) { client in
                var responses: [String] = []
                // Ready once the simulator answers and the knowledge base is imported.
                #expect(
                    await eventually(timeout: .seconds(30)) {
                        (try? await dependencies.knowledge.stats().entries).map { $0 > 0 } ?? false
                    })
                let body = Self.command("status PAYROLL_FINAL", trigger: "t1", responseURL: slack.responseURL("c1"))
                let ack = try await client.execute(
                    uri: "/slack/commands", method: .post, headers: Self.signed(body, secret: Self.canaries[0]),
                    body: ByteBuffer(string: body))
                #expect(ack.status == .ok)
                responses.append(String(buffer: ack.body))

                // The monitor also posts proactive alerts (to the channels of Config/alert-routes.json); the
                // command's answer is the thread root in the command's channel.
                let inChannel: @Sendable () async -> [FakeSlackCall] = {
                    await slack.state.calls("chat.postMessage").filter { $0.channel == "C_OPS" }
                }
                #expect(await eventually(timeout: .seconds(20)) { await !inChannel().isEmpty })
                let answer = try #require(await inChannel().first)
                #expect(answer.threadTS == nil)
                // Live status from the simulator's plan…
                #expect(answer.text?.contains("PAYROLL_FINAL") == true)
                #expect(answer.blocksText.contains("12"))
                // …and what the team knows, from the imported spreadsheet.
                #expect(answer.blocksText.contains("Equipe Folha"))
                #expect(answer.blocksText.contains("lancamentos.txt"))
                #expect(answer.authorization == "Bearer \(Self.canaries[1])")
                // The composition root feeds the dashboard's bot activity from the chat core.
                let bot = try #require(dependencies.web?.bot)
                #expect(await eventually { await bot.summary().questionsByPlatform["slack"] == 1 })

                // A forged request is refused and nothing is posted for it.
                let forged = Self.command("status JOB_B", trigger: "t2", responseURL: slack.responseURL("c2"))
                let refused = try await client.execute(
                    uri: "/slack/commands", method: .post, headers: Self.signed(forged, secret: "not-the-secret"),
                    body: ByteBuffer(string: forged))
                #expect(refused.status == .unauthorized)
                responses.append(String(buffer: refused.body))

                for path in ["/readyz", "/metrics", "/api/ask", "/dashboard", "/openapi.json"] {
                    let response = try await client.execute(uri: path, method: .get)
                    responses.append(String(buffer: response.body))
                }
                try await Task.sleep(for: .milliseconds(300))
                // One answer: its first message starts the thread, any continuation (the log) goes in it, and
                // nothing was posted for the forged request.
                let posts = await inChannel()
                #expect(posts.dropFirst().allSatisfy { $0.threadTS == answer.ts })
                #expect(!posts.contains { $0.body.contains("JOB_B") })
                return responses
            }
            // No secret in any log line, response body, metric, or message sent to Slack.
            let slackBodies = await slack.state.calls.map(\.body).joined(separator: "\n")
            let everything = [logs.text, responses.joined(separator: "\n"), TestMetrics.exposition(), slackBodies]
            for canary in Self.canaries {
                for (index, text) in everything.enumerated() {
                    #expect(!text.contains(canary), "canary \(canary) leaked into output #\(index)")
                }
            }
        }
    }
}
