import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResyncCore
import TestSupport
import Testing

/// The `POST /teams/webhook` handler as the lead wires it, over the real components: verify, parse, replay
/// guard, then the budgeted race. Statuses: 401 for authentication failures, 409 for stale or replayed
/// activities, 400 for malformed bodies.
struct TeamsWebhookHarness {
    let receiver: TeamsWebhookReceiver
    let responder: TeamsResponder
    let budget: Duration
    var answer: @Sendable (TeamsInboundMessage) async -> Answer
    let answersStarted: Counter

    actor Counter {
        private(set) var value = 0
        func increment() { value += 1 }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/teams/webhook") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            let message: TeamsInboundMessage
            do throws(TeamsRequestError) {
                message = try await receiver.receive(
                    authorization: request.headers[.authorization], body: body, now: Date())
            } catch {
                let status: HTTPResponse.Status =
                    error.isAuthenticationFailure
                    ? .unauthorized : (error == .staleTimestamp || error == .replayedActivity ? .conflict : .badRequest)
                return Response(status: status)
            }
            let reply = await responder.respond(within: budget, for: message) {
                await answersStarted.increment()
                return await answer(message)
            }
            let json = reply.body(renderer: AdaptiveCardRenderer(), language: .english).serialized()
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }
}

@Suite("Teams budgeted reply and Workflows delivery over loopback")
struct TeamsResponderTests {
    static let verifier = try! TeamsSignatureVerifier(secret: TeamsSignatureTests.sampleKey)

    static func activity(id: String, text: String = "<at>Resync</at> status PAYROLL_FINAL") -> [UInt8] {
        let timestamp = Date().formatted(.iso8601)
        return Array(
            #"{"type":"message","id":"\#(id)","timestamp":"\#(timestamp)","from":{"id":"29:ana","name":"Ana"},"conversation":{"id":"19:ops@thread.skype;messageid=\#(id)"},"text":"\#(text)"}"#
                .utf8)
    }

    /// Runs the responder service and a loopback Workflows endpoint around `body`.
    static func withResponder(
        maximumInFlight: Int = 8,
        _ body: @Sendable (TeamsResponder, FakeWorkflowsEndpoint) async throws -> Void
    ) async throws {
        let endpoint = FakeWorkflowsEndpoint()
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { workflows in
            let client = try TeamsWorkflowsClient(
                configuration: .init(url: Secret(FakeWorkflowsEndpoint.url(port: try #require(workflows.port)))),
                logger: TestLogging.quiet("teams-workflows"))
            let responder = TeamsResponder(
                sink: WorkflowsDeferredAnswerSink(client: client, logger: TestLogging.quiet("teams-sink")),
                maximumInFlight: maximumInFlight, logger: TestLogging.quiet("teams-responder"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await responder.run() }
                try await body(responder, endpoint)
                group.cancelAll()
            }
        }
    }

    static func harness(_ responder: TeamsResponder, answerDelay: Duration) -> TeamsWebhookHarness {
        TeamsWebhookHarness(
            receiver: TeamsWebhookReceiver(verifier: verifier, replayGuard: InMemoryTeamsReplayGuard()),
            responder: responder, budget: .milliseconds(400),
            answer: { _ in
                try? await Task.sleep(for: answerDelay)
                return ChatAnswerSamples.statusAnswer()
            },
            answersStarted: .init())
    }

    static func post(_ client: some TestClientProtocol, body: [UInt8], authorization: String) async throws -> (
        HTTPResponse.Status, [String: Any]?
    ) {
        try await client.execute(
            uri: "/teams/webhook", method: .post,
            headers: [.authorization: authorization, .contentType: "application/json"],
            body: ByteBuffer(bytes: body)
        ) { response in
            let json = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            return (response.status, json)
        }
    }

    @Test func fastAnswerIsTheSynchronousCard() async throws {
        try await Self.withResponder { responder, endpoint in
            let harness = Self.harness(responder, answerDelay: .zero)
            try await Application(router: harness.router()).test(.router) { client in
                let body = Self.activity(id: "fast-1")
                let (status, json) = try await Self.post(
                    client, body: body, authorization: Self.verifier.authorization(for: body))
                #expect(status == .ok)
                let attachments = try #require(json?["attachments"] as? [[String: Any]])
                let card = try #require(attachments.first?["content"] as? [String: Any])
                #expect(card["version"] as? String == "1.4")
            }
            #expect(await endpoint.recorder.attempts == 0)
        }
    }

    @Test func slowAnswerRepliesWorkingThenPostsTheCardToWorkflows() async throws {
        try await Self.withResponder { responder, endpoint in
            // The answer is held until the reply arrived, so the reply cannot have waited for it (no timing bound).
            let held = HeldAnswering()
            var harness = Self.harness(responder, answerDelay: .zero)
            harness.answer = { _ in
                await held.waitForRelease()
                return ChatAnswerSamples.statusAnswer()
            }
            try await Application(router: harness.router()).test(.router) { client in
                let body = Self.activity(id: "slow-1")
                let (status, json) = try await Self.post(
                    client, body: body, authorization: Self.verifier.authorization(for: body))
                #expect(status == .ok)
                #expect(json?["text"] as? String == AnswerPresentation(language: .english).workingOnIt)
                #expect(json?["attachments"] == nil)
                #expect(await held.answered == 0)
            }
            await held.release()
            let bodies = await endpoint.waitForBodies(count: 1)
            try #require(bodies.count == 1)
            let envelope = try #require(JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])
            let attachment = try #require((envelope["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            let card = try #require(attachment["content"] as? [String: Any])
            let texts = (card["body"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(texts.first == "In reply to Ana: “status PAYROLL_FINAL”")
            #expect(texts.contains("PAYROLL_FINAL failed with RC 12 at 03:12 UTC"))
            #expect(await eventually { responder.questionsInFlight == 0 })
        }
    }

    @Test func replayedActivityIsRejectedAndAnsweredOnce() async throws {
        try await Self.withResponder { responder, _ in
            let harness = Self.harness(responder, answerDelay: .zero)
            try await Application(router: harness.router()).test(.router) { client in
                let body = Self.activity(id: "replay-1")
                let header = Self.verifier.authorization(for: body)
                let first = try await Self.post(client, body: body, authorization: header)
                let replay = try await Self.post(client, body: body, authorization: header)
                #expect(first.0 == .ok)
                #expect(replay.0 == .conflict)
            }
            #expect(await harness.answersStarted.value == 1)
        }
    }

    @Test func badSignatureIs401AndNothingIsProcessed() async throws {
        try await Self.withResponder { responder, endpoint in
            let harness = Self.harness(responder, answerDelay: .zero)
            try await Application(router: harness.router()).test(.router) { client in
                let body = Self.activity(id: "forged-1")
                let forged = try await Self.post(
                    client, body: body, authorization: "HMAC wwTNfkHNpSUs8T4YUDoB5ANTPjkYlQ5axpNc6mGJGcg=")
                let otherScheme = try await Self.post(client, body: body, authorization: "Bearer x")
                #expect(forged.0 == .unauthorized)
                #expect(otherScheme.0 == .unauthorized)
            }
            #expect(await harness.answersStarted.value == 0)
            #expect(await endpoint.recorder.attempts == 0)
        }
    }

    @Test func tooManyQuestionsInFlightGetABusyReply() async throws {
        try await Self.withResponder(maximumInFlight: 1) { responder, endpoint in
            let message = try TeamsActivityParser.parse(Self.activity(id: "busy-1"), now: Date())
            let slow: @Sendable () async -> Answer = {
                try? await Task.sleep(for: .milliseconds(600))
                return ChatAnswerSamples.statusAnswer()
            }
            #expect(await responder.respond(within: .milliseconds(50), for: message, answer: slow) == .working)
            #expect(await responder.respond(within: .milliseconds(50), for: message, answer: slow) == .busy)
            #expect(await endpoint.waitForBodies(count: 1).count == 1)
        }
    }
}
