import Agent
import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// "What failed in the last N" through the real HWA client and simulator, on the mock plan
/// (`Config/mock_tws_data.json`) two minutes after it starts: ETL_SALES_LOAD abended RC 12 at t+30 s and its
/// rerun succeeded at t+90 s; BKP_LOG_SHIP abended RC 4 61 minutes ago and its rerun succeeded 40 minutes ago.
/// One simulator at a time: the suite runs in the timing pass, beside suites that assert deadlines.
@Suite("Agent: a failure a rerun recovered is still a failure of the window (HWA simulator)", .serialized)
struct AgentRecoveredFailureTests {
    static func withAgent(_ body: @escaping @Sendable (Agent, SimulatorTestClock) async throws -> Void) async throws {
        let clock = SimulatorTestClock()
        try await withHWASimulator(scenario: try SimulatorScenarios.defaultScenario(), timeSource: clock) { _, url in
            try await withHWAClient(baseURL: url, configure: { $0.cacheTTLs = .disabled }) { client in
                clock.advance(by: 120)
                let configuration = AgentConfiguration(
                    timeZone: .gmt, defaultLanguage: .portuguese, answerDeadline: .seconds(10))
                let agent = Agent(
                    scheduler: client, knowledge: FakeKnowledgeStore(), memories: FakeMemoryStore(),
                    configuration: configuration, time: clock, logger: AgentHarness.quietLogger)
                try await body(agent, clock)
            }
        }
    }

    /// `HH:MM` in UTC, `seconds` after the simulator started.
    static func clock(_ start: Date, plus seconds: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.hour, .minute], from: start.addingTimeInterval(seconds))
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    static func text(_ answer: Answer) -> String { AnswerTextRenderer(format: .plain, timeZone: .gmt).render(answer) }

    @Test func theLastHourListsTheAbendedJobAsRecoveredInPortuguese() async throws {
        try await Self.withAgent { agent, clock in
            let start = clock.now().addingTimeInterval(-120)
            let answer = await agent.answer("o que falhou na última hora?", context: QuestionContext())
            #expect(answer.headline == "1 job falhou nas últimas 1h e foi recuperado pelo rerun", "\(answer.headline)")
            #expect(answer.liveStatus?.jobs.map(\.job.name) == ["ETL_SALES_LOAD"])
            let failedAt = Self.clock(start, plus: 30)
            let rerunAt = Self.clock(start, plus: 91)
            let text = Self.text(answer)
            #expect(
                text.contains(
                    "DWH_LOAD.ETL_SALES_LOAD — falhou RC 12 às \(failedAt), recuperado pelo rerun às \(rerunAt)"),
                "\(text)")
            #expect(!text.contains("Nenhum job falhou"))
        }
    }

    @Test func theLastThirtyMinutesListTheAbendedJobAsRecoveredInEnglish() async throws {
        try await Self.withAgent { agent, clock in
            let start = clock.now().addingTimeInterval(-120)
            let answer = await agent.answer("any failures in the last 30 minutes?", context: QuestionContext())
            #expect(answer.headline == "1 job failed in the last 30m and recovered", "\(answer.headline)")
            let text = Self.text(answer)
            let failedAt = Self.clock(start, plus: 30)
            let rerunAt = Self.clock(start, plus: 91)
            #expect(
                text.contains(
                    "DWH_LOAD.ETL_SALES_LOAD — failed RC 12 at \(failedAt), recovered by the rerun at \(rerunAt)"),
                "\(text)")
            #expect(!text.contains("No job failed"))
        }
    }

    @Test func aWiderWindowSaysEveryFailureRecovered() async throws {
        try await Self.withAgent { agent, _ in
            let answer = await agent.answer("o que falhou nas últimas 2 horas?", context: QuestionContext())
            #expect(answer.headline == "2 jobs falharam nas últimas 2h; ambos recuperados", "\(answer.headline)")
            #expect(answer.liveStatus?.jobs.map(\.job.name) == ["ETL_SALES_LOAD", "BKP_LOG_SHIP"])
            #expect(Self.text(answer).contains("BACKUP.BKP_LOG_SHIP — falhou RC 4 às "))
        }
    }

    @Test func theHealthSummaryCountsRecoveredFailures() async throws {
        try await Self.withAgent { agent, _ in
            let answer = await agent.answer("resuma a saúde do ambiente", context: QuestionContext())
            let health = try #require(answer.health)
            let recovered = health.recentFailures.filter(\.isRecovered).map(\.name)
            #expect(Set(recovered) == ["ETL_SALES_LOAD", "BKP_LOG_SHIP"])
            #expect(health.topFailingStreams.contains { $0.jobStream == "DWH_LOAD" })
            #expect(answer.headline.contains("(2 recuperada(s))"), "\(answer.headline)")
        }
    }
}
