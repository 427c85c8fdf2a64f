import Foundation
import Knowledge
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Knowledge store (SQLite and PostgreSQL)")
struct KnowledgeStoreTests {
    static let logger = Logger(label: "test.kb")

    static func withStore<T: Sendable>(
        _ engine: TestEngine, entries: [KnowledgeEntry] = KnowledgeSamples.entries,
        _ body: @Sendable (SQLKnowledgeStore) async throws -> T
    ) async throws -> T {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLKnowledgeStore(database: database, logger: logger)
            if !entries.isEmpty { _ = try await store.replaceAll(with: entries, importErrors: 0) }
            return try await body(store)
        }
    }

    static func keys(_ matches: [KnowledgeMatch]) -> [String] { matches.map(\.entry.key) }

    @Test(arguments: TestEngine.available)
    func exactJobOutranksPatternsMostSpecificPatternFirst(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store in
            let matches = try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL", limit: 10))
            #expect(Self.keys(matches) == ["payroll-final", "payroll-any", "payroll-p"])
            #expect(matches[0].reasons == [.exactJob])
            #expect(matches[1].reasons == [.jobPattern("PAYROLL_*")])
            #expect(matches[2].reasons == [.jobPattern("PAY@")])
            #expect(matches[0].score > matches[1].score && matches[1].score > matches[2].score)
        }
    }

    @Test(arguments: TestEngine.available)
    func jobNamesMatchAcrossFoldersAndCase(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store in
            let qualified = try await store.search(KnowledgeQuery(jobName: "/FINANCE/CLOSE_MONTH"))
            #expect(Self.keys(qualified) == ["finance-close"])
            #expect(try await store.search(KnowledgeQuery(jobName: "CLOSE_MONTH")).isEmpty)
            let lower = try await store.search(KnowledgeQuery(jobName: "/payroll/payroll_final", limit: 1))
            #expect(Self.keys(lower) == ["payroll-final"])
            #expect(Self.keys(try await store.search(KnowledgeQuery(jobName: "JOB_B"))) == ["job-q"])
        }
    }

    @Test(arguments: TestEngine.available)
    func streamWorkstationAndErrorCodeRules(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store in
            let stream = try await store.search(KnowledgeQuery(jobName: "ETL_SALES_LOAD", jobStream: "etl_diario"))
            #expect(Self.keys(stream) == ["stream-etl"])
            #expect(stream[0].reasons == [.jobStream("ETL_DIARIO")])
            let workstation = try await store.search(KnowledgeQuery(workstation: "CPU_DB01"))
            #expect(workstation.first?.reasons == [.workstation("CPU_DB01")])
            let abend = try await store.search(KnowledgeQuery(jobName: "ETL_SALES_LOAD", errorCodes: ["ABEND S0C4"]))
            #expect(Self.keys(abend).first == "abend-s0c4")
            #expect(abend[0].reasons == [.errorCode("S0C4")])
        }
    }

    @Test(arguments: TestEngine.available)
    func errorCodeOnTheSameJobRanksAboveJobOnlyAndOtherJobs(engine: TestEngine) async throws {
        let extra = KnowledgeSamples.entry(
            "payroll-generic", job: "PAYROLL_FINAL", title: "PAYROLL_FINAL geral", procedure: "Ligue para a folha")
        try await Self.withStore(engine, entries: KnowledgeSamples.entries + [extra]) { store in
            for codes in [["RC 12"], ["rc=12"], ["RC=0012"]] {
                let matches = try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL", errorCodes: codes))
                #expect(Self.keys(matches).prefix(2) == ["payroll-final", "payroll-generic"])
                #expect(matches[0].reasons == [.exactJob, .errorCode("RC=12")])
            }
            let otherJob = try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL", errorCodes: ["RC=8"]))
            let billing = try #require(otherJob.first { $0.entry.key == "rc8-billing" })
            #expect(otherJob.allSatisfy { $0.entry.key == "rc8-billing" || $0.score > billing.score })
        }
    }

    /// The sample knowledge base's ETL_SALES_LOAD: its own entries are for RC=16 and S0C4, a pattern entry has
    /// no code, and a general entry covers RC=12.
    static let salesLoad = [
        KnowledgeSamples.entry(
            "etl-rc16", job: "ETL_SALES_LOAD", errors: ["RC=16"], title: "Carga de vendas: conexão recusada",
            procedure: "Teste a conexão com o DW e reexecute"),
        KnowledgeSamples.entry(
            "etl-s0c4", job: "ETL_SALES_LOAD", errors: ["ABEND S0C4"], title: "Carga de vendas: erro de memória",
            procedure: "Divida o arquivo e reprocesse"),
        KnowledgeSamples.entry("etl-any", job: "ETL_*", title: "Jobs de ETL", procedure: "Avise a área de BI"),
        KnowledgeSamples.entry(
            "rc12-general", errors: ["RC=12"], title: "RC=12 em geral", procedure: "Leia o log e consulte a entrada"),
    ]

    @Test(
        arguments: TestEngine.available.flatMap { engine in
            [(engine, "how do I fix RC=12 on ETL_SALES_LOAD?"), (engine, "")]
        })
    func entriesOfTheJobForAnotherErrorRankBelowItsOtherEntriesAndTheErrorsGeneralOne(engine: TestEngine, text: String)
        async throws
    {
        try await Self.withStore(engine, entries: KnowledgeSamples.entries + Self.salesLoad) { store in
            let query = KnowledgeQuery(jobName: "ETL_SALES_LOAD", errorCodes: ["RC 12"], text: text, limit: 10)
            let keys = Self.keys(try await store.search(query))
            #expect(keys.prefix(2) == ["etl-any", "rc12-general"], "\(keys)")
            #expect(Set(keys.dropFirst(2).prefix(2)) == ["etl-rc16", "etl-s0c4"], "\(keys)")
            // With no code asked, or only "abend", the job's own entries come first as before.
            for codes in [[], ["ABEND"]] {
                let any = try await store.search(KnowledgeQuery(jobName: "ETL_SALES_LOAD", errorCodes: codes))
                #expect(Set(Self.keys(any).prefix(2)) == ["etl-rc16", "etl-s0c4"], "\(codes)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func fullTextIgnoresCaseAccentsAndSimpleInflection(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store in
            for text in ["folha de pagamento", "execucao", "EXECUÇÕES da folha", "Backups do banco"] {
                let matches = try await store.search(KnowledgeQuery(text: text))
                #expect(!matches.isEmpty, "no match for \(text)")
                #expect(matches.allSatisfy { $0.reasons.contains(.text) })
            }
            #expect(
                Self.keys(try await store.search(KnowledgeQuery(text: "folha de pagamento"))).first == "payroll-final")
            #expect(
                Self.keys(try await store.search(KnowledgeQuery(text: "reiniciar agente"))).first == "general-agent")
            #expect(try await store.search(KnowledgeQuery(text: "kubernetes")).isEmpty)
            #expect(try await store.search(KnowledgeQuery(text: "\" OR 1=1 -- ' & | !")).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func resultsAreLimitedAndDeduplicated(engine: TestEngine) async throws {
        var twin = KnowledgeSamples.entries[0]
        twin.key = "payroll-final-runbook"
        try await Self.withStore(engine, entries: KnowledgeSamples.entries + [twin]) { store in
            let matches = try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL", limit: 10))
            #expect(matches.filter { $0.entry.title == "PAYROLL_FINAL — RC=12" }.count == 1)
            #expect(try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL", limit: 2)).count == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func theJobsOwnEntryMatchesTheErrorEvenWhenThousandsShareTheCode(engine: TestEngine) async throws {
        // 1,100 entries of other jobs share RC=3 and sort before the job's own entry.
        var entries = (0..<1_100).map { index in
            KnowledgeEntry(
                key: String(format: "a-%04d", index), jobPattern: String(format: "OTHER_%04d", index),
                errorCodes: ["RC=3"], title: "Other \(index)", source: KnowledgeSource(file: "kb.csv", row: index + 2))
        }
        entries.append(
            KnowledgeEntry(
                key: "z-payroll-rc3", jobPattern: "Z_PAYROLL", errorCodes: ["RC=3"], title: "Z_PAYROLL RC=3",
                source: KnowledgeSource(file: "kb.csv", row: 1_200)))
        entries.append(
            KnowledgeEntry(
                key: "z-payroll-general", jobPattern: "Z_PAYROLL", title: "Z_PAYROLL",
                source: KnowledgeSource(file: "kb.csv", row: 1_201)))
        try await Self.withStore(engine, entries: entries) { store in
            let matches = try await store.search(KnowledgeQuery(jobName: "Z_PAYROLL", errorCodes: ["RC 3"], limit: 3))
            #expect(Self.keys(matches).prefix(2) == ["z-payroll-rc3", "z-payroll-general"])
            #expect(matches.first?.reasons == [.exactJob, .errorCode("RC=3")])
        }
    }

    @Test(arguments: TestEngine.available)
    func termsNearlyEveryEntryContainsAreLeftOutOfTextSearch(engine: TestEngine) async throws {
        // 60 entries say "falha no lote"; one of them also names the ledger. 60 is past the 50-entry floor.
        let entries = (0..<60).map { index in
            KnowledgeEntry(
                key: "lote-\(index)", title: "Falha no lote \(index)",
                procedure: index == 42 ? "Falha no lote: liberar o razao contabil" : "Falha no lote: reexecutar",
                source: KnowledgeSource(file: "kb.csv", row: index + 2))
        }
        try await Self.withStore(engine, entries: entries) { store in
            let ledger = try await store.search(KnowledgeQuery(text: "falha no lote do razão", limit: 5))
            #expect(Self.keys(ledger) == ["lote-42"])
            // Only common terms: nothing tells the entries apart, so none is offered as a text match.
            #expect(try await store.search(KnowledgeQuery(text: "falha no lote", limit: 5)).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func replaceAllIsIdempotentAndCountsChanges(engine: TestEngine) async throws {
        try await Self.withStore(engine, entries: []) { store in
            let first = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 1)
            #expect(
                first
                    == KnowledgeReplaceOutcome(
                        created: KnowledgeSamples.entries.count, updated: 0, unchanged: 0, removed: 0))
            let again = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
            #expect(
                again
                    == KnowledgeReplaceOutcome(
                        created: 0, updated: 0, unchanged: KnowledgeSamples.entries.count, removed: 0))
            var changed = Array(KnowledgeSamples.entries.dropLast())
            changed[0].procedure = "Novo procedimento"
            let third = try await store.replaceAll(with: changed, importErrors: 0)
            #expect(third == KnowledgeReplaceOutcome(created: 0, updated: 1, unchanged: changed.count - 1, removed: 1))
            #expect(try await store.entry(key: "payroll-final")?.procedure == "Novo procedimento")
            #expect(try await store.entry(key: "general-agent") == nil)
            let stats = try await store.stats()
            #expect(stats.entries == changed.count)
            #expect(stats.lastImport != nil)
            // Search sees the new generation at once.
            #expect(
                try await store.search(KnowledgeQuery(text: "novo procedimento")).first?.entry.key == "payroll-final")
        }
    }

    @Test(arguments: TestEngine.available)
    func brokenImportLeavesThePreviousKnowledgeBase(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLKnowledgeStore(database: database, logger: Self.logger)
            let importer = KnowledgeImporter(logger: Self.logger)
            let good = try await XlsxFixture.portuguese.write()
            let report = try await importer.importKnowledge(from: good.path, into: store)
            #expect(report.outcome?.created == report.entries)
            #expect(report.rejectedRows.count == 2)
            let before = try await store.stats()

            let folder = try TemporaryFolder.make()
            _ = try await XlsxFixture.english.write(named: "a.xlsx", in: folder)
            _ = try await XlsxFixture.corrupt.write(named: "b.xlsx", in: folder)
            await #expect(throws: KnowledgeImportError.self) {
                try await importer.importKnowledge(from: folder.path, into: store)
            }
            do {
                _ = try await importer.importKnowledge(from: folder.path, into: store)
            } catch {
                #expect("\(error)".contains("b.xlsx"))
                #expect("\(error)".contains("not a readable .xlsx workbook"))
            }
            #expect(try await store.stats().entries == before.entries)
            #expect(try await store.search(KnowledgeQuery(jobName: "PAYROLL_FINAL")).first?.reasons == [.exactJob])
            #expect(try await store.search(KnowledgeQuery(jobName: "BILLING_RUN")).isEmpty)
            return ()
        }
    }

    @Test(arguments: TestEngine.available)
    func importedSampleFindsEveryKindOfQuestion(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLKnowledgeStore(database: database, logger: Self.logger)
            let importer = KnowledgeImporter(logger: Self.logger)
            _ = try await importer.importKnowledge(from: try await XlsxFixture.portuguese.write().path, into: store)
            let query = KnowledgeQueryParser.query(from: "PAYROLL_FINAL terminou com rc 12")
            let matches = try await store.search(query)
            #expect(matches.first?.entry.jobPattern == "PAYROLL_FINAL")
            #expect(matches.first?.reasons.prefix(2) == [.exactJob, .errorCode("RC=12")])
            #expect(matches.contains { $0.entry.jobPattern == "PAYROLL_*" })
            let text = try await store.search(KnowledgeQuery(text: "como reiniciar o agente?"))
            #expect(text.first?.entry.title == "Como reiniciar o agente")
            return ()
        }
    }
}
