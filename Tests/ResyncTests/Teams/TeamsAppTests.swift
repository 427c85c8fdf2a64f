import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ResyncCore
import TestSupport
import Testing
import Web

@Suite("Teams end to end through the app over loopback")
struct TeamsAppTests {
    static let verifier = try! TeamsSignatureVerifier(secret: TeamsSignatureTests.sampleKey)

    /// Runs a loopback Workflows endpoint and the app configured with the sample key and that endpoint.
    static func withApp(
        answerDelay: Duration = .zero, replyBudget: Duration, policy: ChatAccessPolicy = .allowAll,
        answering: (any QuestionAnswering)? = nil,
        _ body:
            @escaping @Sendable (any TestClientProtocol, ChatRuntime, FakeWorkflowsEndpoint, FakeQuestionAnswering)
            async throws -> Void
    ) async throws {
        let endpoint = FakeWorkflowsEndpoint()
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { workflows in
            let agent = FakeQuestionAnswering(delay: answerDelay)
            var harness = try await ChatAppHarness(
                environment: [
                    "TEAMS_OUTGOING_WEBHOOK_SECRET": TeamsSignatureTests.sampleKey.value,
                    "TEAMS_WORKFLOW_URL": FakeWorkflowsEndpoint.url(port: try #require(workflows.port)),
                ],
                answering: answering ?? agent)
            harness.options.teamsReplyBudget = replyBudget
            harness.policy = policy
            try await harness.withApp { client, chat in try await body(client, chat, endpoint, agent) }
        }
    }

    static func post(_ client: any TestClientProtocol, body: [UInt8], authorization: String? = nil) async throws
        -> (HTTPResponse.Status, [String: Any]?)
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.authorization] = authorization ?? verifier.authorization(for: body)
        return try await client.execute(
            uri: "/teams/webhook", method: .post, headers: headers, body: ByteBuffer(bytes: body)
        ) { response in
            let json = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            return (response.status, json)
        }
    }

    static func cardTexts(_ json: [String: Any]?) -> String {
        guard let attachments = json?["attachments"] as? [[String: Any]],
            let card = attachments.first?["content"],
            let data = try? JSONSerialization.data(withJSONObject: card)
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func fastAnswerIsRepliedAsAnAdaptiveCard() async throws {
        try await Self.withApp(answerDelay: .zero, replyBudget: .seconds(3)) { client, chat, endpoint, agent in
            let (status, json) = try await Self.post(client, body: TeamsResponderTests.activity(id: "app-fast-1"))
            #expect(status == .ok)
            let attachments = try #require(json?["attachments"] as? [[String: Any]])
            #expect(attachments.first?["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            let card = Self.cardTexts(json)
            #expect(card.contains(#""version":"1.4""#))
            #expect(card.contains("PAYROLL_FINAL failed with RC 12"))
            #expect(card.contains("Payroll Team"))
            let asked = await agent.questions
            #expect(asked.map(\.text) == ["status PAYROLL_FINAL"])
            #expect(asked.first?.context.conversation?.platform == .teams)
            #expect(await endpoint.recorder.attempts == 0)
        }
    }

    @Test func slowAnswerRepliesWorkingAndPostsTheCardToWorkflows() async throws {
        // The answer is held until the reply arrived, so the reply cannot have waited for it (no timing bound).
        let held = HeldAnswering()
        try await Self.withApp(replyBudget: .milliseconds(300), answering: held) { client, chat, endpoint, _ in
            let (status, json) = try await Self.post(client, body: TeamsResponderTests.activity(id: "app-slow-1"))
            #expect(status == .ok)
            #expect(json?["type"] as? String == "message")
            #expect(json?["text"] as? String == AnswerPresentation(language: .english).workingOnIt)
            #expect(json?["attachments"] == nil)
            #expect(await held.answered == 0)
            await held.release()
            let bodies = await endpoint.waitForBodies(count: 1)
            #expect(bodies.count == 1)
            #expect(bodies.first?.contains("PAYROLL_FINAL failed with RC 12") == true)
            #expect(bodies.first?.contains("In reply to Ana") == true)
            #expect(try await eventually { try await chat.outbox.list(status: .sent, limit: 10).count == 1 })
        }
    }

    @Test func replayedActivityIsRefusedAndNotAnsweredAgain() async throws {
        try await Self.withApp(answerDelay: .zero, replyBudget: .seconds(3)) { client, _, _, agent in
            let body = TeamsResponderTests.activity(id: "app-replay-1")
            let (first, _) = try await Self.post(client, body: body)
            let (second, _) = try await Self.post(client, body: body)
            #expect(first == .ok)
            #expect(second == .conflict)
            #expect(await agent.count == 1)
        }
    }

    @Test func badSignatureIsUnauthorizedAndNothingIsProcessed() async throws {
        try await Self.withApp(answerDelay: .zero, replyBudget: .seconds(3)) { client, chat, endpoint, agent in
            let body = TeamsResponderTests.activity(id: "app-bad-1")
            let forged = Self.verifier.authorization(for: Array("{}".utf8))
            let (status, _) = try await Self.post(client, body: body, authorization: forged)
            let (basic, _) = try await Self.post(client, body: body, authorization: "Basic dXNlcjpwYXNz")
            #expect(status == .unauthorized)
            #expect(basic == .unauthorized)
            #expect(await agent.count == 0)
            #expect(try await chat.outbox.list(status: nil, limit: 10).isEmpty)
            #expect(await endpoint.recorder.attempts == 0)
            // The refused requests did not burn the activity id: a correctly signed delivery is answered.
            let (valid, _) = try await Self.post(client, body: body)
            #expect(valid == .ok)
            #expect(await agent.count == 1)
        }
    }

    @Test func accessPolicyRefusesAJobTheChannelMayNotSee() async throws {
        // The ops channel may see billing jobs only.
        let policy = ChatAccessPolicy(rules: [.init(channels: ["19:ops@thread.skype"], jobs: ["BILLING_*"])])
        try await Self.withApp(answerDelay: .zero, replyBudget: .seconds(3), policy: policy) { client, _, _, agent in
            let (status, json) = try await Self.post(client, body: TeamsResponderTests.activity(id: "app-deny-1"))
            #expect(status == .ok)
            let card = Self.cardTexts(json)
            #expect(card.contains("not available in this channel"))
            #expect(!card.contains("Payroll Team"))
            #expect(await agent.count == 1)
        }
    }
}

/// An agent whose answers wait until the test releases them (at most 20 s), to order "reply" before "answer"
/// without relying on timing.
actor HeldAnswering: QuestionAnswering {
    private var released = false
    private(set) var answered = 0

    func release() { released = true }

    nonisolated func answer(_ question: String, context: QuestionContext) async -> Answer {
        await waitForRelease()
        return FakeQuestionAnswering.makeAnswer(question, context: context)
    }

    /// Returns once released; counts as one answer given.
    nonisolated func waitForRelease() async {
        _ = await eventually(timeout: .seconds(20)) { await self.released }
        await markAnswered()
    }

    private func markAnswered() { answered += 1 }
}
