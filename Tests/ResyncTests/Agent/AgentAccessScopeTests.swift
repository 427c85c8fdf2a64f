import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

/// A channel bound by the access policy sees only its own objects, and nothing composed for it (headline,
/// counts, sources, lists) may mention the others: the agent reads the plan and the knowledge base through
/// the conversation's scope instead of having a finished answer filtered afterwards.
@Suite("Agent: answers within the conversation's access scope")
struct AgentAccessScopeTests {
    /// The payroll channel: PAYROLL_* only. The fixtures' plan also has TRANSFER_SFTP_02 failed (SALES_DAILY)
    /// and jobs on the ETL and report side.
    static let payrollOnly = AccessScope(rules: [.init(channels: ["C_PAY"], jobs: ["PAYROLL_*"])])
    static let hidden = ["TRANSFER_SFTP_02", "SALES_DAILY", "ETL_LOAD_CUSTOMERS", "REPORT_DAILY", "GL_POSTING_02"]

    func ask(_ question: String, scope: AccessScope?) async -> Answer {
        await AgentHarness().agent.answer(
            question, context: QuestionContext(user: "U1", preferredLanguage: .english, access: scope))
    }

    func everythingShown(_ answer: Answer) throws -> String {
        let data = try JSONEncoder().encode(answer)
        return AnswerTextRenderer().render(answer) + String(decoding: data, as: UTF8.self)
    }

    @Test func failedJobsListsCountsAndCitesOnlyVisibleJobs() async throws {
        let open = await ask("what failed today?", scope: nil)
        #expect(open.headline.contains("2"))
        #expect(try everythingShown(open).contains("TRANSFER_SFTP_02"))

        let scoped = await ask("what failed today?", scope: Self.payrollOnly)
        #expect(scoped.headline.contains("1"), "\(scoped.headline)")
        #expect(!scoped.headline.contains("2"), "\(scoped.headline)")
        #expect(scoped.liveStatus?.jobs.map(\.job.name) == ["PAYROLL_FINAL"])
        let shown = try everythingShown(scoped)
        for name in Self.hidden { #expect(!shown.contains(name), "\(name) reached the answer") }
        #expect(scoped.notices.contains(.accessDenied))
    }

    @Test func recoveredFailuresStayWithinTheScope() async throws {
        func recovered(_ name: String, stream: String) -> Job {
            Job(
                id: "job-\(name)", name: name, workstation: "AGT_LNX_02", jobStreamName: stream,
                commonStatus: .successful, internalStatus: .succ,
                runs: [
                    JobRun(
                        id: "run-\(name)-1", commonStatus: .error, internalStatus: .abend, returnCode: 12,
                        startTime: AgentFixtures.minutesAgo(22), endTime: AgentFixtures.minutesAgo(20)),
                    JobRun(
                        id: "run-\(name)-2", commonStatus: .successful, internalStatus: .succ, returnCode: 0,
                        startTime: AgentFixtures.minutesAgo(19), endTime: AgentFixtures.minutesAgo(18), isRerun: true),
                ])
        }
        let scheduler = FakeScheduler(
            jobs: AgentFixtures.jobs + [
                recovered("PAYROLL_EXTRACT", stream: "FINANCE_DAILY"), recovered("ETL_SALES_LOAD", stream: "DWH_LOAD"),
            ], workstations: AgentFixtures.workstations)
        let scoped = await AgentHarness(scheduler: scheduler).agent.answer(
            "what failed in the last 1h?",
            context: QuestionContext(user: "U1", preferredLanguage: .english, access: Self.payrollOnly))
        #expect(scoped.liveStatus?.jobs.map(\.job.name) == ["PAYROLL_EXTRACT", "PAYROLL_FINAL"])
        #expect(scoped.headline == "2 jobs failed in the last 1h; 1 recovered", "\(scoped.headline)")
        let shown = try everythingShown(scoped)
        #expect(!shown.contains("ETL_SALES_LOAD"))
        #expect(!shown.contains("DWH_LOAD"))
        #expect(shown.contains("PAYROLL_EXTRACT — failed RC 12 at "))
    }

    @Test func healthCountsAndStreamsCoverOnlyVisibleJobs() async throws {
        let scoped = await ask("how is the environment?", scope: Self.payrollOnly)
        let health = try #require(scoped.health)
        #expect(health.countsByStatus.values.reduce(0, +) == 1)
        #expect(health.recentFailures.map(\.name) == ["PAYROLL_FINAL"])
        #expect(health.topFailingStreams.map(\.jobStream) == ["FINANCE_DAILY"])
        let shown = try everythingShown(scoped)
        for name in Self.hidden { #expect(!shown.contains(name), "\(name) reached the answer") }
        #expect(scoped.notices.contains(.accessDenied))
    }

    @Test func knowledgeAboutHiddenJobsIsLeftOut() async throws {
        let open = await ask("what does RC=8 mean?", scope: nil)
        #expect(open.diagnosis.procedures.map(\.entry.key).contains("kb-sftp"))

        let scoped = await ask("what does RC=8 mean?", scope: Self.payrollOnly)
        #expect(!scoped.diagnosis.procedures.map(\.entry.key).contains("kb-sftp"))
        #expect(!(try everythingShown(scoped)).contains("Integrations"))
    }

    @Test func anUnrestrictedScopeChangesNothing() async throws {
        let open = await ask("what failed today?", scope: nil)
        let everyone = await ask("what failed today?", scope: AccessScope())
        #expect(everyone.headline == open.headline)
        #expect(everyone.liveStatus?.jobs.map(\.job.name) == open.liveStatus?.jobs.map(\.job.name))
        #expect(!everyone.notices.contains(.accessDenied))
    }

    @Test(
        "scope rules",
        arguments: [
            (AccessObject(jobName: "PAYROLL_FINAL", jobStream: "FINANCE_DAILY"), true),
            (AccessObject(jobName: "TRANSFER_SFTP_02", jobStream: "SALES_DAILY"), false),
            (AccessObject(jobStream: "SALES_DAILY"), false),
        ])
    func scopeAllows(object: AccessObject, visible: Bool) {
        #expect(Self.payrollOnly.allows(object) == visible)
    }

    @Test func knowledgeEntriesAreJudgedByWhatTheyName() {
        let scope = Self.payrollOnly
        #expect(scope.allowsKnowledge(jobPattern: "PAYROLL_*", jobStream: nil, workstation: nil))
        #expect(scope.allowsKnowledge(jobPattern: "PAYROLL_FINAL", jobStream: nil, workstation: nil))
        #expect(!scope.allowsKnowledge(jobPattern: "TRANSFER_SFTP_*", jobStream: nil, workstation: nil))
        // A general entry (no job, stream or workstation) is visible.
        #expect(scope.allowsKnowledge(jobPattern: nil, jobStream: nil, workstation: nil))
        #expect(!AccessScope(defaultAllow: false).allowsKnowledge(jobPattern: nil, jobStream: nil, workstation: nil))
    }
}
