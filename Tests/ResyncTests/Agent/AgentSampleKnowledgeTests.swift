import Agent
import Foundation
import Knowledge
import ResyncCore
import Storage
import TestSupport
import Testing

/// The agent over the knowledge base mock mode serves (Config/knowledge_base.xlsx, imported into SQLite), so
/// that what an operator sees for the sample jobs is what these tests see.
@Suite("Agent over the sample knowledge base")
struct AgentSampleKnowledgeTests {
    static let logger = TestLogging.quiet("test.agent.sample-kb")

    /// Failed jobs of the mock plan: ETL_SALES_LOAD and JOB_B have entries only for other codes than the
    /// ones they ended with; PAYROLL_FINAL has one for its code.
    static let failedJobs = [
        failed("ETL_SALES_LOAD", stream: "DWH_LOAD", returnCode: 12),
        failed("JOB_B", stream: "NIGHTLY_BATCH", returnCode: 8),
        failed("PAYROLL_FINAL", stream: "PAYROLL", returnCode: 12),
    ]

    static func failed(_ name: String, stream: String, returnCode: Int) -> Job {
        Job(
            id: "job-\(name)", name: name, workstation: "AGENT_LNX01", jobStreamName: stream, commonStatus: .error,
            internalStatus: .abend,
            runs: [
                JobRun(
                    id: "run-\(name)", commonStatus: .error, internalStatus: .abend, returnCode: returnCode,
                    startTime: AgentFixtures.minutesAgo(10), endTime: AgentFixtures.minutesAgo(9))
            ])
    }

    /// The sample read once per test process: parsing the .xlsx for every case, a dozen at once, held the
    /// cooperative threads long enough to starve the other suites' deadline checks.
    static let sample: Result<[KnowledgeEntry], any Error> = Result {
        try KnowledgeImporter(logger: logger).read(
            path: RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx").path
        ).entries
    }

    static func withAgent(_ body: @Sendable (Agent) async throws -> Void) async throws {
        let entries = try sample.get()
        #expect(entries.count == 32)
        try await TestDatabases.withDatabase(.sqlite) { database in
            let store = SQLKnowledgeStore(database: database, logger: logger)
            _ = try await store.replaceAll(with: entries, importErrors: 0)
            let configuration = AgentConfiguration(
                timeZone: TimeZone(identifier: "America/Sao_Paulo")!, defaultLanguage: .portuguese)
            let agent = Agent(
                scheduler: FakeScheduler(jobs: failedJobs), knowledge: store, memories: FakeMemoryStore(),
                configuration: configuration, time: FakeTimeSource(now: AgentFixtures.now), logger: logger)
            try await body(agent)
        }
    }

    /// Questions whose subject no entry is about: the only matches are words ("quem", "what", "mean") in
    /// other entries' text.
    @Test(
        "nothing about the subject says so, with no owner and no next step",
        arguments: [
            ("quem é o dono do JOB_XYZ?", "A base de conhecimento não tem nada sobre JOB_XYZ"),
            ("who owns JOB_XYZ?", "The knowledge base has nothing about JOB_XYZ"),
            ("what does RC=99 mean?", "The knowledge base has nothing about RC=99"),
            ("who owns DWH_STATS?", "The knowledge base has nothing about DWH_STATS"),
        ])
    func nothingAboutTheSubject(question: String, headline: String) async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer(question, context: QuestionContext())
            #expect(answer.parsed.intent == .knowledge)
            #expect(answer.headline == headline)
            #expect(answer.notices == [.noKnowledge])
            #expect(answer.owner == nil)
            #expect(answer.nextStep == nil)
            #expect(answer.diagnosis.isEmpty)
            #expect(answer.links.isEmpty)
        }
    }

    @Test(
        "an entry about the subject names the owner and the next step",
        arguments: [
            ("como resolvo o RC 1 do JOB_B?", "Equipe Aplicações", "Confirme o término do JOB_A"),
            ("o que significa S0C4?", "Operação Batch", "Verifique deploys recentes"),
            ("quem é o dono do BILLING_INVOICE?", "Equipe Faturamento", "Solicite renovação do certificado"),
        ])
    func somethingAboutTheSubject(question: String, owner: String, nextStep: String) async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer(question, context: QuestionContext())
            #expect(answer.notices.isEmpty)
            #expect(answer.owner?.owner == owner)
            #expect(answer.nextStep?.hasPrefix(nextStep) == true, "\(answer.nextStep ?? "no next step")")
        }
    }

    @Test func aProcedureForAnotherErrorIsListedBelowAndNeverTheNextStep() async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer("how do I fix RC=12 on ETL_SALES_LOAD?", context: QuestionContext())
            let titles = answer.diagnosis.procedures.map(\.entry.title)
            let general = try #require(titles.firstIndex(of: "RC=12 em geral"), "\(titles)")
            for otherError in ["Carga de vendas: conexão recusada", "Carga de vendas: erro de memória"] {
                let index = try #require(titles.firstIndex(of: otherError), "\(titles)")
                #expect(index > general, "\(titles)")
            }
            let procedures = answer.diagnosis.procedures.map(\.entry)
            let nextStep = try #require(answer.nextStep)
            let fitting = procedures.filter { $0.title == "Jobs de ETL" || $0.title == "RC=12 em geral" }
            #expect(fitting.contains { $0.procedure == nextStep }, "\(nextStep)")
            #expect(answer.owner?.owner == "Equipe Dados")
            #expect(answer.headline == "What the team knows about ETL_SALES_LOAD")
        }
    }

    /// What a failed job's answer may and may not take from the knowledge base.
    struct FailureCase: Sendable, CustomStringConvertible {
        var job: String
        /// The entries that fit the failure, first in the list: the job's own for its code or for none, then
        /// general know-how about the code.
        var fitting: [String]
        /// The job's entries for other codes than the run's: listed after those, never the next step.
        var otherErrors: [String]
        /// The next step, in Portuguese.
        var nextStep: String
        var owner: String

        var description: String { job }
    }

    static let failureCases = [
        FailureCase(
            job: "ETL_SALES_LOAD", fitting: ["Jobs de ETL", "RC=12 em geral"],
            otherErrors: ["Carga de vendas: conexão recusada", "Carga de vendas: erro de memória"],
            nextStep: "Siga o procedimento \"Jobs de ETL\"; se não resolver, acione Equipe Dados", owner: "Equipe Dados"
        ),
        FailureCase(
            job: "JOB_B", fitting: [],
            otherErrors: ["JOB_B: arquivo de controle ausente", "JOB_B: violação de proteção"],
            nextStep: "Analise o log e acione o responsável; registre o procedimento na base de conhecimento",
            owner: "Equipe Aplicações"),
        FailureCase(
            job: "PAYROLL_FINAL",
            fitting: ["Folha final: arquivo de entrada inválido", "Jobs da folha de pagamento", "RC=12 em geral"],
            otherErrors: ["Folha final: dado numérico inválido", "Avisos em jobs da folha"],
            nextStep:
                "Siga o procedimento \"Folha final: arquivo de entrada inválido\"; se não resolver, acione Equipe Folha",
            owner: "Equipe Folha"),
    ]

    @Test("a failed job's next step is about the code it ended with", arguments: failureCases)
    func failedJobStatus(expected: FailureCase) async throws {
        try await Self.withAgent { agent in
            let answer = await agent.answer("status \(expected.job)", context: QuestionContext())
            Self.check(answer, expected)
        }
    }

    @Test("the monitor's diagnosis of a failed job uses the code it ended with", arguments: failureCases)
    func failedJobDiagnosis(expected: FailureCase) async throws {
        let job = try #require(Self.failedJobs.first { $0.name == expected.job })
        try await Self.withAgent { agent in
            Self.check(await agent.diagnose(job, language: .portuguese), expected)
        }
    }

    static func check(_ answer: Answer, _ expected: FailureCase) {
        #expect(answer.nextStep == expected.nextStep)
        #expect(answer.owner?.owner == expected.owner)
        let titles = answer.diagnosis.procedures.map(\.entry.title)
        #expect(Array(titles.prefix(expected.fitting.count)) == expected.fitting)
        #expect(titles.contains { expected.otherErrors.contains($0) })
    }
}
