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

    static func withAgent(_ body: @Sendable (Agent) async throws -> Void) async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let store = SQLKnowledgeStore(database: database, logger: logger)
            let path = RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx").path
            let report = try await KnowledgeImporter(logger: logger).importKnowledge(from: path, into: store)
            #expect(report.entries == 32)
            let configuration = AgentConfiguration(
                timeZone: TimeZone(identifier: "America/Sao_Paulo")!, defaultLanguage: .portuguese)
            let agent = Agent(
                scheduler: FakeScheduler(), knowledge: store, memories: FakeMemoryStore(),
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
}
