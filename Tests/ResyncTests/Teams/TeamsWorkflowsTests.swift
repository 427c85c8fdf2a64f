import ChatPlatforms
import Foundation
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing

@Suite("Teams Workflows client over loopback")
struct TeamsWorkflowsTests {
    static func client(port: Int, attempts: Int = 3, timeout: Duration = .seconds(5)) throws -> TeamsWorkflowsClient {
        TeamsWorkflowsClient(
            configuration: try .init(
                url: Secret(FakeWorkflowsEndpoint.url(port: port)), timeout: timeout, maximumAttempts: attempts,
                initialBackoff: .milliseconds(10)),
            logger: TestLogging.quiet("teams-workflows"))
    }

    @Test func postsTheEnvelopeAndHonoursRetryAfterOn429() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        await endpoint.recorder.script([(status: 429, retryAfter: "0")])
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { test in
            let client = try Self.client(port: try #require(test.port))
            try await client.post(TeamsMessage.card(AdaptiveCardRenderer().card(notice: "Backup finished")))
            let bodies = await endpoint.recorder.bodies
            #expect(await endpoint.recorder.attempts == 2)
            #expect(bodies.count == 1)
            let envelope = try #require(JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])
            #expect(envelope["type"] as? String == "message")
        }
    }

    @Test func retriesServerErrorsAFixedNumberOfTimes() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        await endpoint.recorder.script(Array(repeating: (status: 502, retryAfter: nil), count: 5))
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { test in
            let client = try Self.client(port: try #require(test.port), attempts: 3)
            await #expect(throws: TeamsWorkflowsError.gaveUp(attempts: 3, lastReason: "HTTP 502")) {
                try await client.post(TeamsMessage.text("x"))
            }
            #expect(await endpoint.recorder.attempts == 3)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        await endpoint.recorder.script([(status: 404, retryAfter: nil)])
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { test in
            let client = try Self.client(port: try #require(test.port))
            await #expect(throws: TeamsWorkflowsError.rejected(reason: "HTTP 404")) {
                try await client.post(TeamsMessage.text("x"))
            }
            #expect(await endpoint.recorder.attempts == 1)
        }
    }

    @Test func unreachableEndpointGivesUpWithoutLeakingTheURL() async throws {
        let port = try freeLoopbackPort()
        let client = try Self.client(port: port, attempts: 2, timeout: .seconds(1))
        do throws(TeamsWorkflowsError) {
            try await client.post(TeamsMessage.text("x"))
            Issue.record("posting to a closed port succeeded")
        } catch {
            #expect(!error.description.contains("fake-signature"))
            #expect(!error.description.contains("\(port)"))
        }
    }

    @Test func workflowURLMustBeHTTP() {
        #expect(throws: TeamsConfigurationError.invalidWorkflowURL) {
            try TeamsWorkflowsClient.Configuration(url: Secret("ftp://example.com/flow"))
        }
    }
}
