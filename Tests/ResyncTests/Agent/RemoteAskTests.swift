import Agent
import Foundation
import Hummingbird
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing
import Web

/// `resync ask` talks to a running server over HTTP; this is that path, end to end over loopback.
@Suite("resync ask over HTTP")
struct RemoteAskTests {
    func withServer(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let harness = AgentHarness()
        let router = Router(context: AppRequestContext.self)
        router.addAgentRoutes(
            answering: harness.agent, scheduler: harness.scheduler,
            configuration: AgentConfiguration(maxQuestionLength: 100))
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            .test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))/")
            }
    }

    @Test func askDecodesTheServersAnswerAndRendersIt() async throws {
        try await withServer { server in
            let answer = try await RemoteAsk.ask(server: server, question: "status PAYROLL_FINAL", language: .english)
            #expect(answer.liveStatus?.jobs.first?.job.lastRun?.returnCode == 12)
            let text = AnswerTextRenderer(format: .terminal).render(answer)
            #expect(text.contains("PAYROLL_FINAL failed RC 12"))
        }
    }

    @Test func serverRefusalsAreReportedWithTheirMessage() async throws {
        try await withServer { server in
            do {
                _ = try await RemoteAsk.ask(server: server, question: String(repeating: "x", count: 101), language: nil)
                Issue.record("expected a refusal")
            } catch let failure as RemoteAsk.Failure {
                #expect(failure.description.contains("400"))
                #expect(failure.description.contains("longer than 100 characters"))
            }
        }
    }
}
