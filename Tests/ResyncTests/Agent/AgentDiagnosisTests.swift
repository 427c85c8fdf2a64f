import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

@Suite("Agent diagnosis of a failed job (for the monitor)")
struct AgentDiagnosisTests {
    static func payroll() throws -> Job {
        try #require(AgentFixtures.jobs.first { $0.name == "PAYROLL_FINAL" })
    }

    @Test("the job as read, its redacted log tail, the KB procedure, known solutions and the owner")
    func fullDiagnosis() async throws {
        let harness = AgentHarness()
        let answer = await harness.agent.diagnose(try Self.payroll(), language: .english)
        #expect(answer.language == .english)
        #expect(answer.parsed.intent == .jobStatus && answer.parsed.jobName?.contains("PAYROLL_FINAL") == true)
        let snapshot = try #require(answer.liveStatus?.jobs.first)
        #expect(snapshot.job.name == "PAYROLL_FINAL")
        let log = try #require(snapshot.logTail)
        #expect(!log.isEmpty)
        #expect(log.allSatisfy { !$0.contains("hunter2") })
        #expect(answer.diagnosis.procedures.map(\.entry.key).contains("kb-payroll-rc12"))
        #expect(!answer.diagnosis.knownSolutions.isEmpty)
        #expect(answer.owner?.owner == "Folha de Pagamento (Ana Souza)")
        #expect(answer.nextStep != nil)
        // The job comes from the monitor's read: the plan is not searched again.
        #expect(!harness.scheduler.calls.contains { $0.hasPrefix("jobs") })
    }

    @Test("when HWA does not answer the log read, the failure and the KB procedure are still there")
    func logUnavailable() async throws {
        let harness = AgentHarness(scheduler: AgentFixtures.scheduler(failure: .unreachable("connection refused")))
        let answer = await harness.agent.diagnose(try Self.payroll(), language: .portuguese)
        #expect(answer.liveStatus?.jobs.first?.job.name == "PAYROLL_FINAL")
        #expect(answer.liveStatus?.jobs.first?.logTail == nil)
        #expect(answer.notices.contains { if case .schedulerUnavailable = $0 { true } else { false } })
        #expect(answer.diagnosis.procedures.map(\.entry.key).contains("kb-payroll-rc12"))
        #expect(answer.headline.contains("PAYROLL_FINAL"))
    }
}
