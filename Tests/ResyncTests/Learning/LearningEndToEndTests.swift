import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The product as `resync serve` wires it (embedded HWA simulator, the sample knowledge base, the real agent,
/// memory, the monitor and the Slack adapter) against the fake Slack Web API: an operator's fix in a thread,
/// confirmed with ✅, is in the next answer about that job.
@Suite("Learning end to end: ✅ on a thread reply → known solution → next answer", .serialized)
struct LearningEndToEndTests {
    static let channel = "C_OPS"

    static func environment(slack: FakeSlackServer, databaseURL: String) -> [String: String] {
        let root = RepositoryPaths.root
        return [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": databaseURL,
            "KNOWLEDGE_BASE_PATH": root.appendingPathComponent("Config/knowledge_base.xlsx").path,
            "TWS_MOCK_DATA": root.appendingPathComponent("Config/mock_tws_data.json").path,
            "MONITOR_RULES_PATH": root.appendingPathComponent("Config/alert-routes.json").path,
            "TWS_USER": "resync_ro", "TWS_PASSWORD": "pw-learning",
            "SLACK_SIGNING_SECRET": SlackHarness.secret.value, "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_API_BASE_URL": slack.apiBaseURL,
        ]
    }

    /// `DATABASE_URL` for a database nobody else uses: a temporary SQLite file or a fresh PostgreSQL schema.
    static func databaseURL(_ engine: TestEngine) async throws -> String {
        switch try await TestDatabases.makeLocation(engine) {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let location):
            let base = try #require(TestDatabases.postgresURL)
            return base + (base.contains("?") ? "&" : "?") + "schema=\(try #require(location.schema))"
        case .sqliteInMemory: throw CancellationError()
        }
    }

    static func reaction(_ name: String, channel: String = channel, ts: String, user: String, added: Bool = true)
        -> String
    {
        #"{"type":"event_callback","team_id":"T1","event_id":"Ev\#(UUID().uuidString.prefix(8))","event_time":1,"event":{"type":"\#(added ? "reaction_added" : "reaction_removed")","user":"\#(user)","reaction":"\#(name)","item_user":"U_OPERATOR","item":{"type":"message","channel":"\#(channel)","ts":"\#(ts)"},"event_ts":"2.2"}}"#
    }

    /// Runs the whole app on `engine` while `body` runs, once the knowledge base is imported.
    static func withApp(
        _ engine: TestEngine,
        _ body: @escaping @Sendable (any TestClientProtocol, FakeSlackServer, AppDependencies) async throws -> Void
    ) async throws {
        let url = try await databaseURL(engine)
        try await FakeSlackServer.run { slack in
            let config = try AppConfig.load(environment: Self.environment(slack: slack, databaseURL: url))
            let dependencies = try await ResyncApplication.makeDependencies(
                config: config, registry: TestMetrics.registry, logger: TestLogging.quiet("test.learning-e2e"))
            try await ResyncApplication.buildApplication(dependencies).test(.live) { client in
                #expect(
                    await eventually(timeout: .seconds(30)) {
                        (try? await dependencies.knowledge.stats().entries).map { $0 > 0 } ?? false
                    })
                try await body(client, slack, dependencies)
            }
        }
    }

    static func knownSolutions(_ dependencies: AppDependencies) async throws -> [Memory] {
        try await dependencies.memories.list(MemoryFilter(kind: .knownSolution))
    }

    /// Asks about `job` with a mention and returns the answer's first message, posted in the mention's thread.
    static func ask(_ client: any TestClientProtocol, _ slack: FakeSlackServer, job: String, ts: String)
        async throws -> FakeSlackCall
    {
        let mention = SlackHarness.mention("status \(job)", channel: channel, ts: ts, eventID: "Ev\(ts)")
        #expect(try await SlackHarness.postEvent(client, mention).status == .ok)
        let inThread: @Sendable () async -> [FakeSlackCall] = {
            await slack.state.calls("chat.postMessage").filter { $0.channel == channel && $0.threadTS == ts }
        }
        #expect(await eventually(timeout: .seconds(20)) { await !inThread().isEmpty })
        return try #require(await inThread().first)
    }

    @Test(arguments: TestEngine.available)
    func checkMarkedReplyInAnAnswerThreadIsInTheNextAnswer(engine: TestEngine) async throws {
        try await Self.withApp(engine) { client, slack, dependencies in
            let root = "1800000000.000100"
            let first = try await Self.ask(client, slack, job: "JOB_B", ts: root)
            #expect(!first.blocksText.contains("bulb"))
            let chat = try #require(dependencies.chat)
            // The thread is Resync's once the answer went out (the worker remembers the thread's job on send).
            #expect(
                try await eventually {
                    try await chat.outbox.list(status: .sent, limit: 100).contains { $0.threadID == root }
                })

            let inThread: @Sendable () async -> Int = {
                await slack.state.calls("chat.postMessage").count { $0.threadTS == root }
            }
            // Every message of the answer (status, then the log) is out before the reply.
            #expect(
                try await eventually {
                    try await chat.outbox.list(status: nil, limit: 100).allSatisfy { $0.status == .sent }
                })
            let answered = await inThread()
            let fix = "freed /data/in and reran; token=s3cr3t-value"
            let replyTS = "1800000000.000200"
            let reply = SlackHarness.threadMessage(
                fix, channel: Self.channel, ts: replyTS, thread: root, eventID: "EvR1")
            #expect(try await SlackHarness.postEvent(client, reply).status == .ok)
            // Resync is part of the thread, but the reply is an operator's statement, not a question: it is
            // processed without an answer, and must leave the thread about JOB_B for the `learn` below.
            #expect(
                await eventually(timeout: .seconds(20)) {
                    (try? await chat.inbound.item(id: "slack:msg:\(Self.channel):\(replyTS)"))?.status == .done
                })
            #expect(await inThread() == answered)

            // 👍 on the reply, and ✅ on a message Resync never saw: nothing learned.
            _ = try await SlackHarness.postEvent(client, Self.reaction("+1", ts: replyTS, user: "U_A"))
            _ = try await SlackHarness.postEvent(
                client, Self.reaction("white_check_mark", ts: "1800000000.000999", user: "U_A"))
            #expect(try await Self.knownSolutions(dependencies).isEmpty)

            // ✅ (delivered twice) and a second person's ✅ with a skin tone: one memory.
            let check = Self.reaction("white_check_mark", ts: replyTS, user: "U_A")
            #expect(try await SlackHarness.postEvent(client, check).status == .ok)
            #expect(try await SlackHarness.postEvent(client, check, retry: 1).status == .ok)
            _ = try await SlackHarness.postEvent(
                client, Self.reaction("heavy_check_mark::skin-tone-4", ts: replyTS, user: "U_B"))
            let learned = try await Self.knownSolutions(dependencies)
            try #require(learned.count == 1, "\(learned)")
            let memory = learned[0]
            #expect(memory.jobName?.hasSuffix("JOB_B") == true)
            #expect(memory.status == .active)
            #expect(memory.author == "U_OPERATOR")
            #expect(memory.text.contains("freed /data/in and reran"))
            #expect(!memory.text.contains("s3cr3t-value"))
            #expect(memory.conversation?.thread == root && memory.conversation?.message == replyTS)
            #expect(memory.feedback.positive == 2)
            #expect(try await dependencies.memories.auditLog(memoryID: memory.id).map(\.action) == ["create"])

            // Removing the ✅ keeps the memory.
            _ = try await SlackHarness.postEvent(
                client, Self.reaction("white_check_mark", ts: replyTS, user: "U_A", added: false))
            #expect(try await Self.knownSolutions(dependencies).map(\.status) == [.active])

            // `@resync learn …` in the same thread: learned too, confirmed in the thread.
            let learnTS = "1800000000.000250"
            let learn = SlackHarness.mention(
                "learn check free space on /data first", channel: Self.channel, ts: learnTS, thread: root,
                eventID: "EvL1")
            #expect(try await SlackHarness.postEvent(client, learn).status == .ok)
            let confirmed: @Sendable () async -> FakeSlackCall? = {
                await slack.state.calls("chat.postMessage").first {
                    $0.threadTS == root && ($0.body.contains("Learned for"))
                }
            }
            #expect(await eventually(timeout: .seconds(20)) { await confirmed() != nil })
            #expect(await confirmed()?.body.contains("JOB_B") == true)
            #expect(try await Self.knownSolutions(dependencies).count == 2)

            // `/resync learn` carries no thread: the agent explains how to use it, and nothing is stored.
            let command = SlackHarness.slashCommand(
                "learn something", channel: Self.channel, responseURL: slack.responseURL("learn-cmd"))
            #expect(try await SlackHarness.postForm(client, "/slack/commands", command).status == .ok)
            let explained: @Sendable () async -> Bool = {
                await slack.state.calls.contains {
                    $0.body.contains("Use learn in an answer or alert thread") || $0.body.contains("Use aprender no t")
                }
            }
            #expect(await eventually(timeout: .seconds(20)) { await explained() })
            #expect(try await Self.knownSolutions(dependencies).count == 2)

            // The next answer about JOB_B shows the known solutions.
            let next = try await Self.ask(client, slack, job: "JOB_B", ts: "1800000000.000300")
            let text = next.blocksText
            #expect(text.contains(":bulb:"), "\(text)")
            #expect(text.contains("freed /data/in and reran"), "\(text)")
            #expect(text.contains("check free space on /data first"), "\(text)")
            #expect(!next.body.contains("s3cr3t-value"))
        }
    }

    @Test(arguments: TestEngine.available)
    func checkMarkedReplyInAnAlertThreadIsFiledUnderTheAlertsFailure(engine: TestEngine) async throws {
        try await Self.withApp(engine) { client, slack, dependencies in
            // The monitor alerts PAYROLL_FINAL's ABEND to the payroll route's channel (Config/alert-routes.json).
            let alertChannel = "#payroll-ops"
            let roots: @Sendable () async -> [FakeSlackCall] = {
                await slack.state.calls("chat.postMessage").filter {
                    $0.channel == alertChannel && $0.threadTS == nil && ($0.text ?? "").contains("PAYROLL_FINAL")
                }
            }
            #expect(await eventually(timeout: .seconds(30)) { await !roots().isEmpty })
            let alertTS = try #require(await roots().first?.ts)
            let chat = try #require(dependencies.chat)
            #expect(
                try await eventually {
                    try await chat.outbox.sentItem(platform: .slack, channel: alertChannel, messageID: alertTS) != nil
                })

            let replyTS = "1800000000.000500"
            let reply = SlackHarness.threadMessage(
                "cleared the ledger lock and reran STEP03", channel: alertChannel, ts: replyTS, thread: alertTS,
                eventID: "EvAR1")
            #expect(try await SlackHarness.postEvent(client, reply).status == .ok)
            _ = try await SlackHarness.postEvent(
                client, Self.reaction("white_check_mark", channel: alertChannel, ts: replyTS, user: "U_A"))
            let learned = try await Self.knownSolutions(dependencies)
            try #require(learned.count == 1, "\(learned)")
            #expect(learned[0].jobName?.hasSuffix("PAYROLL_FINAL") == true)
            #expect(learned[0].errorSignature == "ABEND RC=12")

            let next = try await Self.ask(client, slack, job: "PAYROLL_FINAL", ts: "1800000000.000600")
            #expect(next.blocksText.contains("cleared the ledger lock and reran STEP03"), "\(next.blocksText)")
        }
    }
}
