import Agent
import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// HWA 10.x folders through the real client and simulator: two job streams named PAYROLL, one in /FINANCE and one
/// in /HR, each with a PAYROLL_FINAL. The id an answer prints names the folder, so each job can be told apart and
/// asked about again by exactly what was printed.
@Suite("Agent: jobs in folders print and resolve by WS#/FOLDER/STREAM.JOB (HWA simulator)", .serialized)
struct AgentFolderTests {
    static let scenario = SimulatorScenario(
        workstations: [.init(name: "MASTER", states: ["LINKED", "RUNNING", "JOBMAN_UP"])],
        jobStreams: [
            .init(name: "PAYROLL", folder: "/FINANCE", workstation: "MASTER", scheduledMinutesAgo: 60),
            .init(name: "PAYROLL", folder: "/HR", workstation: "MASTER", scheduledMinutesAgo: 60),
        ],
        jobs: [
            .init(
                name: "PAYROLL_FINAL", folder: "/FINANCE", workstation: "MASTER", jobStream: "PAYROLL",
                runs: [.init(status: "ABEND", returnCode: 12, startedMinutesAgo: 20, durationMinutes: 2)]),
            .init(
                name: "PAYROLL_FINAL", folder: "/HR", workstation: "MASTER", jobStream: "PAYROLL",
                runs: [.init(status: "SUCC", returnCode: 0, startedMinutesAgo: 30, durationMinutes: 1)]),
        ])

    static func withAgent(_ body: @escaping @Sendable (Agent) async throws -> Void) async throws {
        let clock = SimulatorTestClock()
        try await withHWASimulator(scenario: scenario, timeSource: clock) { _, url in
            try await withHWAClient(baseURL: url, configure: { $0.cacheTTLs = .disabled }) { client in
                let agent = Agent(
                    scheduler: client, knowledge: FakeKnowledgeStore(), memories: FakeMemoryStore(),
                    configuration: AgentConfiguration(timeZone: .gmt, defaultLanguage: .english), time: clock,
                    logger: AgentHarness.quietLogger)
                try await body(agent)
            }
        }
    }

    @Test func theBareNameListsBothJobsApart() async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer("status PAYROLL_FINAL", context: QuestionContext())
            let printed = Set(answer.liveStatus?.jobs.map(\.job.qualifiedName) ?? [])
            #expect(printed == ["MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL", "MASTER#/HR/PAYROLL.PAYROLL_FINAL"])
        }
    }

    @Test(
        "the printed id answers about that job only",
        arguments: [
            ("MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL", CommonStatus.error),
            ("MASTER#/HR/PAYROLL.PAYROLL_FINAL", CommonStatus.successful),
        ])
    func printedIDResolves(id: String, status: CommonStatus) async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer("status \(id)", context: QuestionContext())
            let jobs = answer.liveStatus?.jobs.map(\.job) ?? []
            #expect(jobs.map(\.qualifiedName) == [id], "\(answer.headline)")
            #expect(jobs.first?.commonStatus == status)
            #expect(answer.headline.contains(id), "\(answer.headline)")
        }
    }
}
