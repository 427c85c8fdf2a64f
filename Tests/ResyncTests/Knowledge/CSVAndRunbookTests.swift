import Foundation
import Knowledge
import Logging
import ResyncCore
import TestSupport
import Testing

@Suite("Knowledge .csv and Markdown import")
struct CSVAndRunbookTests {
    let importer = KnowledgeImporter(logger: Logger(label: "test.kb"))

    func write(_ data: Data, name: String, in folder: URL? = nil) throws -> URL {
        let url = try (folder ?? TemporaryFolder.make()).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    @Test func readsSemicolonCSVWithBOMAndQuotedFields() throws {
        let text = """
            Job;Código de erro;Solução;Responsável
            PAYROLL_FINAL;RC 12;"Reexecute; depois ""confirme""
            com a equipe";Folha

            JOB_B;;Verifique a rede;Infra
            """
        let url = try write(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), name: "kb.csv")
        let result = try importer.read(path: url.path)
        #expect(result.entries.count == 2)
        let payroll = try #require(result.entries.first)
        #expect(payroll.jobPattern == "PAYROLL_FINAL")
        #expect(payroll.errorCodes == ["RC=12"])
        #expect(payroll.procedure == "Reexecute; depois \"confirme\"\ncom a equipe")
        #expect(payroll.owner == "Folha")
        #expect(payroll.source.row == 2)
        #expect(result.entries[1].source.row == 5)
        #expect(result.report.rowsRead == 2)
    }

    @Test func readsCommaCSVInLatin1() throws {
        let text = "job_name,description,resolution\r\nETL_SALES_LOAD,Carga de vendas em execução,Reprocessar\r\n"
        let url = try write(text.data(using: .isoLatin1)!, name: "legacy.csv")
        let entry = try #require(try importer.read(path: url.path).entries.first)
        #expect(entry.jobPattern == "ETL_SALES_LOAD")
        #expect(entry.description == "Carga de vendas em execução")
        #expect(entry.procedure == "Reprocessar")
    }

    @Test func refusesAFileWhoseQuotedFieldIsNeverClosed() throws {
        // Before, the open quote swallowed the rest of the file into one cell: JOB_AFTER vanished without a word.
        let text = "Job,Title,Procedure\nJOB_OK,Fine,ok\nJOB_UNTERM,\"unterminated,proc\nJOB_AFTER,After,after proc\n"
        let url = try write(Data(text.utf8), name: "unterm.csv")
        let result = try importer.read(path: url.path)
        // A rejected file keeps the previous knowledge base in service (readAndReplace refuses the import).
        #expect(result.entries.isEmpty)
        let rejected = try #require(result.report.rejectedFiles.first)
        #expect(rejected.file == "unterm.csv")
        #expect(rejected.reason.contains("line 3"))
        #expect(rejected.reason.contains("never closed"))
    }

    @Test func aLineBreakInsideAQuotedCellIsOneNewlineWhateverTheFileUses() throws {
        let text =
            "Job,Error,Title,Procedure\r\nJOB_CRLF,RC 3,\"Title crlf\",\"line1\r\nline2\rline3\"\r\nJOB_NEXT,,Next,next\r\n"
        let url = try write(Data(text.utf8), name: "crlf.csv")
        let result = try importer.read(path: url.path)
        #expect(result.entries.map(\.jobPattern) == ["JOB_CRLF", "JOB_NEXT"])
        #expect(result.entries.first?.procedure == "line1\nline2\nline3")
        #expect(result.entries.last?.source.row == 5)
    }

    @Test func readsRunbookFrontMatter() throws {
        let runbook = """
            ---
            jobs: [PAYROLL_*, FINAL_BATCH_PAYROLL]
            error_codes: [RC=12, S0C4]
            owner: Equipe Folha
            contact: folha-oncall@example.com
            links:
              - https://wiki.example.com/folha
              - https://wiki.example.com/folha/escalonamento
            ---
            # Folha de pagamento falhou

            A folha não fechou no horário.

            1. Verifique o arquivo de entrada.
            2. Reexecute o passo STEP03.
            """
        let url = try write(Data(runbook.utf8), name: "runbooks/folha.md")
        let entries = try importer.read(path: url.path).entries
        #expect(entries.map(\.jobPattern) == ["PAYROLL_*", "FINAL_BATCH_PAYROLL"])
        let entry = entries[0]
        #expect(entry.title == "Folha de pagamento falhou")
        #expect(entry.errorCodes == ["RC=12", "S0C4"])
        #expect(entry.owner == "Equipe Folha")
        #expect(entry.contact == "folha-oncall@example.com")
        #expect(entry.links.count == 2)
        #expect(entry.description == "A folha não fechou no horário.")
        #expect(entry.procedure?.contains("2. Reexecute o passo STEP03.") == true)
        #expect(entries[0].key != entries[1].key)
    }

    @Test func importsFoldersRecursivelyAndSkipsLockFiles() async throws {
        let folder = try TemporaryFolder.make()
        _ = try await XlsxFixture.english.write(named: "teams/billing.xlsx", in: folder)
        _ = try write(Data("Job,Procedimento\nJOB_B,Verifique\n".utf8), name: "extra.csv", in: folder)
        _ = try write(Data("# Geral\n\nSem front matter.".utf8), name: "runbooks/geral.md", in: folder)
        _ = try write(Data("lock".utf8), name: "teams/~$billing.xlsx", in: folder)
        let result = try importer.read(path: folder.path)
        #expect(result.report.files.map(\.file) == ["extra.csv", "runbooks/geral.md", "teams/billing.xlsx"])
        #expect(result.entries.contains { $0.title == "Geral" && $0.jobPattern == nil })
        #expect(result.entries.contains { $0.key.hasPrefix("teams/billing.xlsx#KB:") })
        #expect(result.report.rejectedFiles.isEmpty)
    }
}
