import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

@testable import Knowledge

@Suite("Knowledge .xlsx large workbook import")
struct XlsxLargeImportTests {
    /// Beyond the ~30,000 rows where Foundation's XMLParser gave up on a worksheet.
    static let rows = 40_000

    /// Inline strings (a 27 MB worksheet part), or shared strings (a 13 MB worksheet and a 6 MB shared
    /// strings part of 120,000 strings).
    @Test(arguments: [false, true])
    func importsEveryRowOfALargeOpenpyxlWorkbook(sharedStrings: Bool) async throws {
        let url = try TemporaryFolder.make().appendingPathComponent("large.xlsx")
        try await XlsxFixture.large(rows: Self.rows, at: url, sharedStrings: sharedStrings)
        let path = url.path
        let result = try await onOwnThread { try KnowledgeImporter(logger: Logger(label: "test.kb")).read(path: path) }

        #expect(result.report.rejectedFiles.isEmpty)
        #expect(result.report.rejectedRows.isEmpty)
        #expect(result.report.rowsRead == Self.rows)
        #expect(result.entries.count == Self.rows)
        let byJob = Dictionary(
            uniqueKeysWithValues: result.entries.compactMap { entry in
                entry.jobPattern.map { ($0, entry) }
            })
        for index in [0, 1, 12_345, 29_999, 30_000, Self.rows - 1] {
            let entry = try #require(byJob[String(format: "JOB_%06d", index)], "row for job \(index)")
            #expect(entry.jobStream == String(format: "STREAM_%03d", index % 500))
            #expect(entry.errorCodes == ["RC=\(index % 16)"])
            #expect(entry.description == "Falha na execução do job \(index) ao processar o lote de faturamento")
            #expect(entry.procedure == "Verifique o log do passo \(index % 7) e reexecute após corrigir a entrada")
            #expect(entry.owner == "Equipe \(index % 40)")
            #expect(entry.contact == "equipe\(index % 40)@example.com")
            #expect(entry.links == ["https://wiki.example.com/jobs/\(index)"])
            #expect(entry.severity == ["Alta", "Média", "Baixa"][index % 3])
            #expect(entry.source == KnowledgeSource(file: "large.xlsx", sheet: "Jobs", row: index + 2))
        }
    }
}

/// Runs seconds of synchronous work (a 40,000-row import in a debug build) on a thread of its own: on one of
/// the few cooperative threads it would stall every other test running meanwhile.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
