import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ResyncCore
import TestSupport
import Testing
import Web

@Suite("Mattermost end to end through the app over loopback")
struct MattermostAppTests {
    static let channel = "cniah6qa73bjjjan6mzn11f4ie"

    /// Runs the fake Mattermost server (REST + WebSocket) and the app configured against it.
    static func withApp(
        policy: ChatAccessPolicy = .allowAll,
        _ body:
            @escaping @Sendable (any TestClientProtocol, ChatRuntime, FakeMattermostServer, FakeQuestionAnswering)
            async throws -> Void
    ) async throws {
        let server = FakeMattermostServer()
        try await server.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { fake in
            let agent = FakeQuestionAnswering()
            var harness = try await ChatAppHarness(
                environment: [
                    "MATTERMOST_URL": "http://127.0.0.1:\(try #require(fake.port))",
                    "MATTERMOST_BOT_TOKEN": server.botToken,
                    "MATTERMOST_SLASH_TOKEN": MattermostRequestTests.slashToken,
                    "MATTERMOST_OUTGOING_TOKEN": MattermostRequestTests.outgoingToken,
                ],
                answering: agent)
            harness.policy = policy
            try await harness.withApp { client, chat in try await body(client, chat, server, agent) }
        }
    }

    static func command(
        _ client: any TestClientProtocol, _ text: String, rootID: String = "", trigger: String = UUID().uuidString,
        token: String = MattermostRequestTests.slashToken
    ) async throws -> (HTTPResponse.Status, String) {
        let body = SlackHarness.formEncoded([
            ("channel_id", channel), ("team_id", "rdc9bgriktyx9p4kowh3dmgqyc"),
            ("user_id", "c3a4cqe3dfy6dgopqt8ai3hydh"),
            ("user_name", "ana"), ("command", "/resync"), ("text", text), ("token", token), ("trigger_id", trigger),
            ("root_id", rootID), ("response_url", "http://127.0.0.1:1/hooks/commands/unused"),
        ])
        return try await client.execute(
            uri: "/mattermost/command", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    /// The bot's posts, once there are `count` of them.
    static func botPosts(_ server: FakeMattermostServer, count: Int) async throws -> [FakeMattermostPost] {
        _ = await eventually { await server.state.botPosts.count >= count }
        let posts = await server.state.botPosts
        try #require(posts.count == count, "expected \(count) bot posts, got \(posts.count)")
        return posts
    }

    @Test func commandIsAcknowledgedThenAnsweredAsAThreadRootThatACommandInTheThreadContinues() async throws {
        try await Self.withApp { client, chat, server, agent in
            let (status, ack) = try await Self.command(client, "status PAYROLL_FINAL")
            #expect(status == .ok)
            #expect(ack.contains(#""response_type":"ephemeral""#))
            let root = try #require(try await Self.botPosts(server, count: 1).first)
            #expect(root.channelID == Self.channel)
            #expect(root.rootID == "")
            #expect(root.message.contains("PAYROLL\\_FINAL failed with RC 12"))
            #expect(
                try await eventually {
                    try await chat.outbox.sentItem(platform: .mattermost, channel: Self.channel, messageID: root.id)
                        != nil
                })

            // Typed in the answer's thread, without naming the job: answered in that thread, about that job.
            _ = try await Self.command(client, "and the log?", rootID: root.id)
            let reply = try #require(try await Self.botPosts(server, count: 2).last)
            #expect(reply.rootID == root.id)
            #expect(await agent.questions.map(\.context.threadJobName) == [nil, "PAYROLL_FINAL"])
        }
    }

    @Test func outgoingWebhookIsAnsweredInTheTriggeringPostsThread() async throws {
        try await Self.withApp { client, _, server, _ in
            let channel = "hawos4dqtby53pd64o4a4cmeoo"
            let trigger = await server.state.seedPost(channelID: channel, message: "resync status JOB_ONE")
            var fields = MattermostRequestTests.outgoingFields
            fields["post_id"] = trigger.id
            fields["text"] = "resync status JOB_ONE"
            let body = try JSONSerialization.data(withJSONObject: fields)
            let response = try await client.execute(
                uri: "/mattermost/webhook", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: body)
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(response.0 == .ok)
            #expect(response.1 == "{}")
            let reply = try #require(try await Self.botPosts(server, count: 1).first)
            #expect(reply.channelID == channel)
            #expect(reply.rootID == trigger.id)
            #expect(reply.message.contains("JOB\\_ONE failed with RC 12"))
        }
    }

    /// An outgoing webhook names the triggering post; typed in the thread of Resync's answer, that post is a
    /// reply, and the follow-up must still find the thread's job (it got the "not understood" help; found by QA).
    @Test func outgoingWebhookFollowUpInAnAnswersThreadResolvesTheThreadsJob() async throws {
        try await Self.withApp { client, chat, server, agent in
            let channel = "hawos4dqtby53pd64o4a4cmeoo"
            func hook(_ post: FakeMattermostPost) async throws {
                var fields = MattermostRequestTests.outgoingFields
                fields["post_id"] = post.id
                fields["channel_id"] = channel
                fields["text"] = post.message
                let body = try JSONSerialization.data(withJSONObject: fields)
                let status = try await client.execute(
                    uri: "/mattermost/webhook", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(bytes: body)
                ) { $0.status }
                #expect(status == .ok)
            }
            let first = await server.state.seedPost(channelID: channel, message: "resync status JOB_ONE")
            try await hook(first)
            let answer = try #require(try await Self.botPosts(server, count: 1).first)
            #expect(answer.rootID == first.id)
            #expect(
                try await eventually {
                    try await chat.outbox.sentItem(platform: .mattermost, channel: channel, messageID: answer.id) != nil
                })
            // The operator replies in that thread: Mattermost's post has root_id = the thread's root.
            let followUp = await server.state.seedPost(channelID: channel, message: "resync e o log?", rootID: first.id)
            try await hook(followUp)
            let reply = try #require(try await Self.botPosts(server, count: 2).last)
            #expect(reply.rootID == first.id)
            #expect(await agent.questions.map(\.context.threadJobName) == [nil, "JOB_ONE"])
        }
    }

    /// Asks `status PAYROLL_FINAL` and returns the bot's answer post once the outbox has recorded it as sent.
    static func answeredStatusPost(
        _ client: any TestClientProtocol, _ chat: ChatRuntime, _ server: FakeMattermostServer
    ) async throws -> FakeMattermostPost {
        _ = try await command(client, "status PAYROLL_FINAL")
        let post = try #require(try await botPosts(server, count: 1).first)
        #expect(
            try await eventually {
                try await chat.outbox.sentItem(platform: .mattermost, channel: channel, messageID: post.id) != nil
            })
        return post
    }

    @Test func reactionOnTheWebSocketBecomesAFeedbackRowForTheAnswer() async throws {
        try await Self.withApp { client, chat, server, _ in
            let post = try await Self.answeredStatusPost(client, chat, server)
            #expect(await eventually { await server.state.openSockets == 1 })
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: post.id, emoji: "+1", channelID: Self.channel)
            #expect(try await eventually { try await !chat.feedback.recent(since: .distantPast, limit: 5).isEmpty })
            let rows = try await chat.feedback.recent(since: .distantPast, limit: 5)
            #expect(rows.count == 1)
            #expect(rows.first?.feedback.polarity == .positive)
            #expect(rows.first?.jobName == "PAYROLL_FINAL")
            #expect(rows.first?.answerID != nil)
        }
    }

    @Test func afterTheWebSocketDropsTheAppReconnectsAndStillRecordsReactions() async throws {
        try await Self.withApp { client, chat, server, _ in
            let post = try await Self.answeredStatusPost(client, chat, server)
            #expect(await eventually { await server.state.authenticatedSockets == 1 })
            await server.state.dropSockets()
            // The listener service inside the app authenticates a second socket (after its backoff).
            #expect(await eventually(timeout: .seconds(15)) { await server.state.authenticatedSockets == 2 })
            #expect(await eventually { await server.state.openSockets == 1 })
            await server.state.broadcastReaction(
                added: true, userID: "bruno", postID: post.id, emoji: "-1", channelID: Self.channel)
            #expect(try await eventually { try await !chat.feedback.recent(since: .distantPast, limit: 5).isEmpty })
            let rows = try await chat.feedback.recent(since: .distantPast, limit: 5)
            #expect(rows.count == 1)
            #expect(rows.first?.feedback.polarity == .negative)
            #expect(rows.first?.jobName == "PAYROLL_FINAL")
        }
    }

    @Test func badTokenIsUnauthorizedAndNothingIsProcessed() async throws {
        try await Self.withApp { client, chat, server, agent in
            let (command, _) = try await Self.command(client, "status PAYROLL_FINAL", token: "wrong-token")
            var fields = MattermostRequestTests.outgoingFields
            fields["token"] = MattermostRequestTests.slashToken
            let webhook = try await client.execute(
                uri: "/mattermost/webhook", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fields))
            ) { $0.status }
            #expect(command == .unauthorized)
            #expect(webhook == .unauthorized)
            // A valid command afterwards proves the processor runs; the refused ones left nothing behind.
            _ = try await Self.command(client, "status OTHER_JOB")
            _ = try await Self.botPosts(server, count: 1)
            #expect(await agent.questions.map(\.text) == ["status OTHER_JOB"])
            #expect(try await chat.outbox.list(status: nil, limit: 10).count == 1)
        }
    }

    // MARK: The chat core's shared behaviours

    @Test func redeliveredCommandIsAnsweredOnce() async throws {
        try await Self.withApp { client, _, server, agent in
            let (first, _) = try await Self.command(client, "status PAYROLL_FINAL", trigger: "trigger-dup")
            let (second, _) = try await Self.command(client, "status PAYROLL_FINAL", trigger: "trigger-dup")
            #expect(first == .ok)
            #expect(second == .ok)
            _ = try await Self.botPosts(server, count: 1)
            // A later, distinct command is answered: the processor had its chance at the duplicate.
            _ = try await Self.command(client, "status OTHER_JOB")
            _ = try await Self.botPosts(server, count: 2)
            #expect(await agent.questions.map(\.text) == ["status PAYROLL_FINAL", "status OTHER_JOB"])
        }
    }

    @Test func accessPolicyRefusesAJobTheChannelMayNotSee() async throws {
        let policy = ChatAccessPolicy(rules: [.init(channels: [Self.channel], jobs: ["BILLING_*"])])
        try await Self.withApp(policy: policy) { client, _, server, _ in
            _ = try await Self.command(client, "status PAYROLL_FINAL")
            let post = try #require(try await Self.botPosts(server, count: 1).first)
            #expect(post.message.contains("not available in this channel"))
            #expect(!post.message.contains("Payroll Team"))
        }
    }
}
