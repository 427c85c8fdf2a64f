import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

@testable import Knowledge

@Suite("Knowledge .xlsx import")
struct XlsxImportTests {
    let importer = KnowledgeImporter(logger: Logger(label: "test.kb"))

    @Test func readsPortugueseWorkbookWithMessyLayout() async throws {
        let url = try await XlsxFixture.portuguese.write()
        let result = try importer.read(path: url.path)
        let byJob = Dictionary(grouping: result.entries, by: { $0.jobPattern ?? "-" })

        let payroll = try #require(byJob["PAYROLL_FINAL"]?.first)
        #expect(payroll.errorCodes == ["RC=12"])
        #expect(payroll.jobStream == "FOLHA_MENSAL")
        #expect(payroll.description == "Falha na execução da FOLHA DE PAGAMENTO final")
        #expect(payroll.procedure == "1. Verifique o arquivo de entrada\n2. Reexecute o passo STEP03")
        // Formula cached value, merged "Contato" header over two columns, link, severity, date and extra field.
        #expect(payroll.owner == "Equipe Folha")
        #expect(payroll.contact == "(11) 4000-1234 / folha@example.com")
        #expect(payroll.links == ["https://wiki.example.com/folha"])
        #expect(payroll.severity == "Alta")
        #expect(payroll.extra.contains(ExtraField(name: "Atualizado em", value: "2024-03-01")))
        #expect(payroll.extra.contains(ExtraField(name: "Observação", value: "revisar")))
        #expect(payroll.source == KnowledgeSource(file: "knowledge_base.xlsx", sheet: "Jobs", row: 4))

        #expect(byJob["PAYROLL_*"]?.first?.owner == "Equipe Folha")
        #expect(byJob["ETL_SALES_LOAD"]?.first?.errorCodes == ["S0C4"])
        // Numbers as text ("0012") and numbers as numbers (8, a phone) keep their digits.
        #expect(byJob["BKP_DB_DAILY"]?.first?.errorCodes == ["RC=12"])
        #expect(byJob["JOB_B"]?.first?.errorCodes == ["RC=8"])
        #expect(byJob["JOB_B"]?.first?.contact == "11999990000")
        #expect(byJob["FINAL_BATCH_PAYROLL"]?.first?.description == "Falha crítica no fechamento")

        let general = result.entries.filter { $0.jobPattern == nil }
        #expect(Set(general.map(\.title)) == ["Como reiniciar o agente", "Escalation policy"])
        #expect(general.allSatisfy { $0.source.sheet == "Geral" })

        let rejected = result.report.rejectedRows.map { "\($0.sheet ?? "")#\($0.row)" }
        #expect(rejected == ["Jobs#11", "Jobs#12"])
        #expect(result.report.rejectedRows.contains { $0.reason.contains("'JOB B' is not a job name") })
        #expect(result.report.rejectedRows.contains { $0.reason.contains("nothing to tell") })
        #expect(result.report.skippedSheets == ["knowledge_base.xlsx [Notas]"])
        #expect(result.report.rowsRead == 10)
        #expect(result.report.rejectedFiles.isEmpty)
    }

    @Test func rejectedRowsNameSheetAndRow() async throws {
        let result = try importer.read(path: try await XlsxFixture.portuguese.write().path)
        let invalid = try #require(result.report.rejectedRows.first { $0.reason.contains("JOB B") })
        #expect(invalid.sheet == "Jobs")
        #expect(invalid.row == 11)
        #expect(result.report.lines.contains { $0.contains("[Jobs] row 11") })
    }

    @Test func readsEnglishHeadersPatternsAndExtraColumns() async throws {
        let result = try importer.read(path: try await XlsxFixture.english.write().path)
        let billing = try #require(result.entries.first { $0.jobPattern == "BILLING_*" })
        #expect(billing.jobStream == "BILLING_NIGHT")
        #expect(billing.workstation == "CPU_BILL")
        #expect(billing.errorCodes == ["RC=8"])
        #expect(billing.procedure == "Unlock the ledger and rerun")
        #expect(billing.contact == "billing@example.com")
        #expect(billing.links == ["https://wiki.example.com/billing", "https://runbooks.example.com/b"])
        #expect(billing.extra == [ExtraField(name: "Notes", value: "seen twice in 2024")])
        #expect(result.entries.contains { $0.jobPattern == "/FINANCE/CLOSE_@" })
        #expect(result.entries.contains { $0.jobPattern == nil && $0.jobStream == "ETL_DIARIO" })
        #expect(result.report.rejectedRows.isEmpty)
    }

    @Test func readsHandWrittenParts() async throws {
        let result = try importer.read(path: try await XlsxFixture.handmade.write().path)
        let entry = try #require(result.entries.first)
        #expect(entry.jobPattern == "JOB_A")
        #expect(entry.description == "Solução rápida")
        #expect(entry.procedure == "Reinicie o agente")
        #expect(entry.source.sheet == "Plantão")
        #expect(entry.extra.contains(ExtraField(name: "Revisado", value: "TRUE")))
        #expect(entry.extra.contains(ExtraField(name: "Desde", value: "1904-01-01")))
        #expect(entry.extra.contains(ExtraField(name: "Quando", value: "2024-01-02 18:00")))
    }

    @Test func keysAreStableAcrossReads() async throws {
        let url = try await XlsxFixture.portuguese.write()
        let first = try importer.read(path: url.path).entries.map(\.key)
        let second = try importer.read(path: url.path).entries.map(\.key)
        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    @Test func corruptWorkbookIsRejectedWithAClearReason() async throws {
        let url = try await XlsxFixture.corrupt.write()
        let result = try importer.read(path: url.path)
        #expect(result.entries.isEmpty)
        let rejected = try #require(result.report.rejectedFiles.first)
        #expect(rejected.file == "knowledge_base.xlsx")
        #expect(rejected.reason.contains("not a readable .xlsx workbook"))
    }

    @Test func malformedWorksheetIsRejectedNamingSheetAndLine() async throws {
        let result = try importer.read(path: try await XlsxFixture.malformed.write().path)
        #expect(result.entries.isEmpty)
        let rejected = try #require(result.report.rejectedFiles.first)
        #expect(
            rejected.reason
                == "'knowledge_base.xlsx' is not a readable .xlsx workbook (sheet 'Plantão' (xl/worksheets/sheet1.xml) "
                + "is not well-formed XML, line 3: </row> found where </c> was expected); "
                + "open it in Excel and save it again as .xlsx")
    }

    @Test func missingPathAndUnsupportedFilesFail() throws {
        #expect(throws: KnowledgeImportError.pathNotFound("/nonexistent/kb.xlsx")) {
            try importer.read(path: "/nonexistent/kb.xlsx")
        }
        let folder = try TemporaryFolder.make()
        let text = folder.appendingPathComponent("notes.txt")
        try Data("x".utf8).write(to: text)
        #expect(throws: KnowledgeImportError.unsupportedFile(text.path)) { try importer.read(path: text.path) }
    }

    @Test func spreadsheetDatesUseBothSystems() {
        #expect(SpreadsheetDate.text(serial: 1, uses1904: false) == "1900-01-01")
        #expect(SpreadsheetDate.text(serial: 59, uses1904: false) == "1900-02-28")
        #expect(SpreadsheetDate.text(serial: 61, uses1904: false) == "1900-03-01")
        #expect(SpreadsheetDate.text(serial: 45352, uses1904: false) == "2024-03-01")
        #expect(SpreadsheetDate.text(serial: 45352.5, uses1904: false) == "2024-03-01 12:00")
        #expect(SpreadsheetDate.text(serial: 0, uses1904: true) == "1904-01-01")
    }
}
