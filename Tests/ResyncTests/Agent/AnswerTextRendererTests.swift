import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

@Suite("Answer text rendering")
struct AnswerTextRendererTests {
    @Test func plainTextShowsFactsKnowledgeAndNoSecrets() async throws {
        let answer = await AgentHarness().ask("status PAYROLL_FINAL", language: .english)
        let text = AnswerTextRenderer(format: .plain, timeZone: TimeZone(identifier: "America/Sao_Paulo")!).render(
            answer)
        #expect(text.hasPrefix("AGT_LNX_01#/FINANCE/FINANCE_DAILY.PAYROLL_FINAL failed RC 12 at 06:12"))
        #expect(text.contains("ERROR (ABEND) RC 12, start 06:10, end 06:12"))
        #expect(text.contains("| ERROR: table PAYROLL.EMP locked; exiting with RC=12"))
        #expect(text.contains("Payroll table lock (RC=12)"))
        #expect(text.contains("Owner Folha de Pagamento (Ana Souza) — #payroll-oncall"))
        #expect(text.contains("https://wiki.example.com/runbooks/payroll-rc12"))
        #expect(text.contains("Next step:"))
        #expect(text.contains("knowledge:kb-payroll-rc12"))
        #expect(!text.contains("hunter2"))
    }

    @Test func markdownEscapesNamesAndFencesTheLog() async throws {
        let answer = await AgentHarness().ask("status PAYROLL_FINAL")
        let text = AnswerTextRenderer(format: .markdown).render(answer)
        #expect(text.hasPrefix("**AGT\\_LNX\\_01#/FINANCE/FINANCE\\_DAILY.PAYROLL\\_FINAL falhou RC 12"))
        #expect(text.contains("```\n"))
        #expect(text.contains("- [Payroll table lock (RC=12)](https://wiki.example.com/runbooks/payroll-rc12)"))
    }

    @Test func noticesAreRenderedInTheAnswersLanguage() async throws {
        let harness = AgentHarness(scheduler: AgentFixtures.scheduler(failure: .unreachable("connection refused")))
        let answer = await harness.ask("status PAYROLL_FINAL")
        let text = AnswerTextRenderer().render(answer)
        #expect(text.contains("⚠ HWA indisponível: HWA unreachable: connection refused"))
    }

    @Test func healthRendering() async throws {
        let answer = await AgentHarness().ask("health")
        let text = AnswerTextRenderer().render(answer)
        #expect(text.contains("Engine: HWA 10.2.5 (America/Sao_Paulo)"))
        #expect(text.contains("needing attention: AGT_LNX_02"))
        #expect(text.contains("ERROR 2"))
    }
}
