import ChatPlatforms
import Foundation
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing

@Suite("Mattermost REST API over loopback")
struct MattermostLoopbackTests {
    static func withServer(
        _ body: @Sendable (FakeMattermostServer, MattermostAPIClient, Int) async throws -> Void
    ) async throws {
        let server = FakeMattermostServer()
        try await server.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { test in
            let port = try #require(test.port)
            let client = MattermostAPIClient(
                configuration: try .init(
                    baseURL: "http://127.0.0.1:\(port)/", botToken: Secret(server.botToken),
                    initialBackoff: .milliseconds(10)),
                httpClient: TestHTTPClient.shared, logger: TestLogging.quiet("mattermost-api"))
            try await body(server, client, port)
        }
    }

    static let reader = MattermostRequestReader(
        slashToken: Secret(MattermostRequestTests.slashToken),
        outgoingToken: Secret(MattermostRequestTests.outgoingToken))

    @Test func commandInTheChannelStartsAThreadAndContinuesInIt() async throws {
        try await Self.withServer { server, client, _ in
            let command = try Self.reader.slashCommand(headers: [:], body: MattermostRequestTests.commandForm())
            let jobs = (1...60).map { ChatAnswerSamples.failedJob(name: "NIGHTLY_\($0)") }
            let poster = MattermostAnswerPoster(
                client: client, renderer: MattermostMarkdownRenderer(maximumPostLength: 1_500))
            let posted = try await poster.reply(to: command, with: ChatAnswerSamples.statusAnswer(jobs: jobs))
            let stored = await server.state.botPosts
            #expect(stored.count == posted.count)
            #expect(stored.count > 1)
            #expect(stored[0].channelID == "cniah6qa73bjjjan6mzn11f4ie")
            #expect(stored[0].rootID == "")
            #expect(stored.dropFirst().allSatisfy { $0.rootID == stored[0].id })
            #expect(posted.map(\.id) == stored.map(\.id))
        }
    }

    @Test func commandTypedInAThreadIsAnsweredInThatThread() async throws {
        try await Self.withServer { server, client, _ in
            let root = await server.state.seedPost(
                channelID: "cniah6qa73bjjjan6mzn11f4ie", message: "PAYROLL is late again")
            let command = try Self.reader.slashCommand(
                headers: [:], body: MattermostRequestTests.commandForm(rootID: root.id))
            _ = try await MattermostAnswerPoster(client: client).reply(
                to: command, with: ChatAnswerSamples.statusAnswer())
            let stored = await server.state.botPosts
            #expect(stored.count == 1)
            #expect(stored.first?.rootID == root.id)
            #expect(stored.first?.message.contains("PAYROLL\\_FINAL failed") == true)
        }
    }

    @Test func outgoingWebhookIsAnsweredUnderTheTriggeringThread() async throws {
        try await Self.withServer { server, client, _ in
            let channel = "hawos4dqtby53pd64o4a4cmeoo"
            let root = await server.state.seedPost(channelID: channel, message: "nightly run")
            let trigger = await server.state.seedPost(
                channelID: channel, message: "resync status JOB1", rootID: root.id)
            var fields = MattermostRequestTests.outgoingFields
            fields["post_id"] = trigger.id
            let body = try JSONSerialization.data(withJSONObject: fields)
            let message = try Self.reader.outgoingWebhook(
                headers: ["Content-Type": "application/json"], body: Array(body))
            _ = try await MattermostAnswerPoster(client: client).reply(
                to: message, with: ChatAnswerSamples.statusAnswer())
            let stored = await server.state.botPosts
            #expect(stored.count == 1)
            #expect(stored.first?.rootID == root.id)
            #expect(stored.first?.channelID == channel)
        }
    }

    @Test func rateLimitedPostIsRetriedAfterRetryAfter() async throws {
        try await Self.withServer { server, client, _ in
            await server.state.rateLimitNextPosts(2)
            let post = try await client.createPost(channelID: "c1", message: "hello", rootID: nil)
            #expect(await server.state.rateLimitedResponses == 2)
            #expect(await server.state.botPosts.map(\.id) == [post.id])
        }
    }

    @Test func rateLimitThatOutlastsTheAttemptsGivesUp() async throws {
        try await Self.withServer { server, client, _ in
            await server.state.rateLimitNextPosts(10)
            await #expect(throws: MattermostAPIError.gaveUp(attempts: 4, lastReason: "HTTP 429")) {
                try await client.createPost(channelID: "c1", message: "hello", rootID: nil)
            }
            #expect(await server.state.botPosts.isEmpty)
        }
    }

    @Test func wrongBotTokenIsRejectedWithoutRetries() async throws {
        try await Self.withServer { server, _, port in
            let client = MattermostAPIClient(
                configuration: try .init(baseURL: "http://127.0.0.1:\(port)", botToken: Secret("stolen")),
                httpClient: TestHTTPClient.shared, logger: TestLogging.quiet("mattermost-api"))
            do throws(MattermostAPIError) {
                _ = try await client.createPost(channelID: "c1", message: "hello", rootID: nil)
                Issue.record("a post with a wrong token succeeded")
            } catch {
                #expect(error == .rejected(status: 401, detail: "401 invalid token"))
                #expect(!error.description.contains("stolen"))
            }
            #expect(await server.state.botPosts.isEmpty)
        }
    }

    @Test func usersMeReturnsTheBot() async throws {
        try await Self.withServer { server, client, _ in
            let bot = try await client.me()
            #expect(bot.id == server.botUserID)
        }
    }
}
