import ChatPlatforms
import Foundation
import HummingbirdTesting
import Logging
import ResyncCore
import ServiceLifecycle
import TestSupport
import Testing

/// Collects feedback the listener delivers.
actor FeedbackCollector: MattermostFeedbackSink {
    private(set) var received: [Feedback] = []

    func receive(_ feedback: Feedback) { received.append(feedback) }

    func waitFor(count: Int, timeout: Duration = .seconds(10)) async -> [Feedback] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while received.count < count, clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return received
    }
}

@Suite("Mattermost WebSocket reactions over loopback")
struct MattermostWebSocketTests {
    static let channel = "hawos4dqtby53pd64o4a4cmeoo"

    /// Runs a listener against the fake server inside a ServiceGroup, then shuts it down gracefully and checks
    /// that it stopped.
    static func withListener(
        token: String? = nil,
        _ body: @Sendable (FakeMattermostServer, MattermostEventListener, FeedbackCollector) async throws -> Void
    ) async throws {
        let server = FakeMattermostServer()
        try await server.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { test in
            let port = try #require(test.port)
            let sink = FeedbackCollector()
            let listener = MattermostEventListener(
                configuration: .init(
                    baseURL: "http://127.0.0.1:\(port)", botToken: Secret(token ?? server.botToken),
                    botUserID: server.botUserID, initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(400)),
                sink: sink, logger: TestLogging.quiet("mattermost-ws"))
            let group = ServiceGroup(
                configuration: .init(services: [listener], logger: TestLogging.quiet("mattermost-ws-group")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await body(server, listener, sink)
                await group.triggerGracefulShutdown()
                // The group returns only once the listener's run() returned: graceful shutdown works.
                try await tasks.waitForAll()
            }
        }
    }

    @Test func reactionOnTheSocketBecomesFeedback() async throws {
        try await Self.withListener { server, listener, sink in
            #expect(await eventually { await server.state.openSockets == 1 })
            #expect(await eventually { listener.authenticatedConnections == 1 })
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: "botpost1", emoji: "+1_skin_tone_4", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: "botpost1", emoji: "coffee", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: true, userID: server.botUserID, postID: "botpost1", emoji: "+1", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: false, userID: "ana", postID: "botpost1", emoji: "thumbsup", channelID: Self.channel)
            await server.state.broadcastReaction(
                added: true, userID: "bruno", postID: "botpost1", emoji: "x", channelID: Self.channel)
            let received = await sink.waitFor(count: 3)
            #expect(await eventually { listener.feedbackDelivered == 3 })
            try #require(received.count == 3)
            #expect(
                received[0].conversation
                    == ConversationRef(platform: .mattermost, channel: Self.channel, message: "botpost1"))
            #expect(received[0].user == "ana")
            #expect(received[0].polarity == .positive)
            #expect(received[0].signal == "+1")
            #expect(received[0].added)
            #expect(received[0].at == Date(timeIntervalSince1970: 1_764_140_000))
            #expect(received[1].signal == "+1" && !received[1].added)
            #expect(received[2].polarity == .negative && received[2].user == "bruno")
        }
    }

    @Test func droppedSocketReconnectsAndKeepsDelivering() async throws {
        try await Self.withListener { server, listener, sink in
            #expect(await eventually { await server.state.openSockets == 1 })
            await server.state.dropSockets()
            #expect(await eventually { await server.state.authenticatedSockets == 2 })
            #expect(await eventually { await server.state.openSockets == 1 })
            #expect(await eventually { listener.authenticatedConnections == 2 })
            await server.state.broadcastReaction(
                added: true, userID: "ana", postID: "botpost2", emoji: "white_check_mark", channelID: Self.channel)
            #expect(await sink.waitFor(count: 1).first?.conversation.message == "botpost2")
        }
    }

    @Test func refusedTokenRetriesWithBackoffAndDeliversNothing() async throws {
        try await Self.withListener(token: "wrong-token") { server, listener, sink in
            #expect(await eventually { await server.state.refusedSockets >= 2 })
            #expect(listener.authenticatedConnections == 0)
            #expect(await server.state.authenticatedSockets == 0)
            #expect(await sink.received.isEmpty)
        }
    }

    @Test func backoffDoublesAndIsCapped() {
        let configuration = MattermostEventListener.Configuration(
            baseURL: "https://chat.example.com/", botToken: Secret("t"), initialBackoff: .seconds(1),
            maximumBackoff: .seconds(60))
        #expect(configuration.webSocketURL == "wss://chat.example.com/api/v4/websocket")
        #expect(
            [0, 1, 2, 5, 6, 40].map(configuration.backoff(afterFailures:)) == [
                .seconds(1), .seconds(2), .seconds(4), .seconds(32), .seconds(60), .seconds(60),
            ])
    }
}
