import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// `/resync learn …` typed in a Mattermost thread, through the app's real chat wiring with memory on.
@Suite("Mattermost: /resync learn and ✅ in an answer's thread")
struct MattermostLearnCommandTests {
    static let channel = MattermostAppTests.channel

    /// The app against the fake Mattermost server, with a SQL memory store on `engine` (learning on).
    static func withApp(
        _ engine: TestEngine, listener: Bool = false,
        _ body:
            @escaping @Sendable (any TestClientProtocol, FakeMattermostServer, FakeQuestionAnswering, any MemoryStore)
            async throws -> Void
    ) async throws {
        try await withApp(engine, listener: listener) { client, server, agent, memories, _ in
            try await body(client, server, agent, memories)
        }
    }

    /// The same, also handing over the chat runtime (to wait for the outbox).
    static func withApp(
        _ engine: TestEngine, listener: Bool = false,
        _ body:
            @escaping @Sendable (
                any TestClientProtocol, FakeMattermostServer, FakeQuestionAnswering, any MemoryStore, ChatRuntime
            ) async throws -> Void
    ) async throws {
        let location = try await TestDatabases.makeLocation(engine)
        let server = FakeMattermostServer()
        try await server.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { fake in
            let config = try AppConfig.load(environment: [
                "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite::memory:",
                "MATTERMOST_URL": "http://127.0.0.1:\(try #require(fake.port))",
                "MATTERMOST_BOT_TOKEN": server.botToken, "MATTERMOST_SLASH_TOKEN": MattermostRequestTests.slashToken,
            ])
            let logger = TestLogging.quiet("test.mattermost-learn")
            let database = try AppDatabase(location: location, logger: logger)
            let memories = SQLMemoryStore(database: database, logger: logger)
            let agent = FakeQuestionAnswering()
            let options = ChatWiring.Options(
                processor: .init(concurrency: 2, pollInterval: .milliseconds(50)),
                outbox: .init(concurrency: 2, pollInterval: .milliseconds(50), maxAttempts: 4),
                runMattermostListener: listener)
            let (app, chat) = try await buildChatApplication(config: config, database: database, logger: logger) {
                try ChatWiring.makeChat(
                    slack: nil, mattermost: config.mattermost, database: database,
                    answering: AnsweredQuestionRecorder(answering: agent, memories: memories, logger: logger),
                    accessPolicy: .allowAll, options: options, httpClient: $0, memories: memories, logger: logger)
            }
            try await app.test(.live) { client in
                try await body(client, server, agent, memories, chat)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func learnInTheAnswersThreadIsStoredOnceAndConfirmed(engine: TestEngine) async throws {
        try await Self.withApp(engine) { client, server, agent, memories, chat in
            _ = try await MattermostAppTests.command(client, "status PAYROLL_FINAL")
            let root = try #require(try await MattermostAppTests.botPosts(server, count: 1).first)
            // The thread is the answer's once the outbox recorded the post's id (right after the server replied).
            #expect(
                try await eventually {
                    try await chat.outbox.sentItem(platform: .mattermost, channel: Self.channel, messageID: root.id)
                        != nil
                })

            let (status, _) = try await MattermostAppTests.command(
                client, "learn clear the ledger lock, then rerun STEP03", rootID: root.id, trigger: "learn-1")
            #expect(status == .ok)
            let confirmation = try #require(try await MattermostAppTests.botPosts(server, count: 2).last)
            #expect(confirmation.rootID == root.id)
            #expect(confirmation.message.contains("Learned for PAYROLL"), "\(confirmation.message)")
            #expect(confirmation.message.contains("(ABEND RC=12)"), "\(confirmation.message)")
            let learned = try await memories.list(MemoryFilter(kind: .knownSolution))
            try #require(learned.count == 1)
            #expect(learned[0].jobName == "PAYROLL_FINAL")
            #expect(learned[0].errorSignature == "ABEND RC=12")
            #expect(learned[0].text == "clear the ledger lock, then rerun STEP03")
            #expect(learned[0].author == "c3a4cqe3dfy6dgopqt8ai3hydh")
            #expect(learned[0].conversation?.thread == root.id)
            #expect(learned[0].sourceLink?.hasSuffix("/_redirect/pl/\(root.id)") == true)
            // The agent never saw the command: the chat core answered it.
            #expect(await agent.count == 1)

            // The same command delivered again: no second memory, no second confirmation.
            _ = try await MattermostAppTests.command(
                client, "learn clear the ledger lock, then rerun STEP03", rootID: root.id, trigger: "learn-1")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await server.state.botPosts.count == 2)
            #expect(try await memories.list(MemoryFilter(kind: .knownSolution)).count == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func learnOutsideAThreadStoresNothingAndGoesToTheAgent(engine: TestEngine) async throws {
        try await Self.withApp(engine) { client, server, agent, memories in
            _ = try await MattermostAppTests.command(client, "learn rerun it", trigger: "learn-2")
            _ = try await MattermostAppTests.botPosts(server, count: 1)
            // The agent explains how to use it (see AgentLearnTests); nothing is stored.
            #expect(await agent.questions.map(\.text) == ["learn rerun it"])
            #expect(try await memories.list(MemoryFilter()).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func learnInAThreadAboutNoJobExplainsAndStoresNothing(engine: TestEngine) async throws {
        try await Self.withApp(engine) { client, server, _, memories in
            let stranger = await server.state.seedPost(channelID: Self.channel, message: "lunch?")
            _ = try await MattermostAppTests.command(client, "learn rerun it", rootID: stranger.id, trigger: "learn-3")
            let reply = try #require(try await MattermostAppTests.botPosts(server, count: 1).first)
            #expect(reply.rootID == stranger.id)
            #expect(reply.message.contains("not about one job"), "\(reply.message)")
            #expect(try await memories.list(MemoryFilter()).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func checkMarkOnAUsersReplyHeardOnTheSocketTeaches(engine: TestEngine) async throws {
        try await Self.withApp(engine, listener: true) { client, server, _, memories, chat in
            _ = try await MattermostAppTests.command(client, "status PAYROLL_FINAL")
            let root = try #require(try await MattermostAppTests.botPosts(server, count: 1).first)
            #expect(
                try await eventually {
                    try await chat.outbox.sentItem(platform: .mattermost, channel: Self.channel, messageID: root.id)
                        != nil
                })
            #expect(await eventually { await server.state.openSockets == 1 })
            let reply = await server.state.seedPost(
                channelID: Self.channel, message: "cleared the ledger lock and reran", rootID: root.id)
            await server.state.broadcastPosted(reply)

            // 👍 on the reply, and ✅ on Resync's own answer (that is answer feedback): nothing learned.
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: reply.id, emoji: "+1", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: root.id, emoji: "white_check_mark", channelID: Self.channel)
            // ✅ with a skin tone on the reply teaches, once, whoever adds it.
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: reply.id, emoji: "white_check_mark", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: true, userID: "bruno", postID: reply.id, emoji: "heavy_check_mark", channelID: Self.channel)
            #expect(
                try await eventually {
                    try await memories.list(MemoryFilter(kind: .knownSolution)).first?.feedback.positive == 2
                })
            let learned = try await memories.list(MemoryFilter(kind: .knownSolution))
            try #require(learned.count == 1)
            #expect(learned[0].jobName == "PAYROLL_FINAL")
            #expect(learned[0].text == "cleared the ledger lock and reran")
            #expect(learned[0].author == "user1")
            #expect(learned[0].sourceLink?.hasSuffix("/_redirect/pl/\(reply.id)") == true)
        }
    }
}
