import Agent
import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// The id Resync prints for a job is HWA's (`STREAM_WORKSTATION#STREAM.JOB`), so it can be asked back: the alert
/// buttons ("Show log", "Explain") carry it and the chat core turns a click into `log <id>` / `explain <id>`.
@Suite("Alert buttons ask back the job id Resync printed (agent over the HWA simulator)")
struct AlertButtonEndToEndTests {
    static func withAgent<T: Sendable>(
        _ body: @Sendable (Agent, HWAClient) async throws -> T
    ) async throws -> T {
        try await withHWASimulator(scenario: try SimulatorScenarios.defaultScenario()) { _, url in
            try await withHWAClient(baseURL: url) { client in
                let agent = Agent(
                    scheduler: client, knowledge: FakeKnowledgeStore(), memories: FakeMemoryStore(),
                    logger: TestLogging.quiet("test.alert-buttons"))
                return try await body(agent, client)
            }
        }
    }

    @Test("a job runs on an agent, but its id names the job stream's workstation")
    func printedIDIsTheStreamWorkstations() async throws {
        try await Self.withAgent { _, client in
            let job = try #require(try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL")).first)
            #expect(job.workstation == "AGENT_LNX01")
            // With the stream's folder (the mock plan's streams are in /FINANCE), as conman selects the job.
            #expect(job.qualifiedName == "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL")
            // The simulator's dependency targets use the same id for the job this one waits on.
            #expect(job.dependencies.first?.target == "MASTER#/FINANCE/PAYROLL.PAYROLL_CALC")
        }
    }

    @Test("the question an alert button builds finds the job", arguments: ["log", "explain", "status"])
    func buttonQuestionResolves(verb: String) async throws {
        try await Self.withAgent { agent, client in
            let failed = try #require(try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL")).first)
            let alert = await agent.diagnose(failed, language: .english)
            // The button's value is the alert answer's job name (see primaryJobName in ChatOutboxComposer).
            let value = try #require(alert.parsed.jobName)
            let answer = await agent.answer("\(verb) \(value)", context: QuestionContext())
            let missed = answer.notices.contains {
                switch $0 {
                case .unknownJob, .ambiguousJob: true
                default: false
                }
            }
            #expect(!missed, "\(verb) \(value): \(answer.headline)")
            #expect(answer.liveStatus?.jobs.map(\.job.id) == [failed.id], "\(verb) \(value): \(answer.headline)")
        }
    }
}
