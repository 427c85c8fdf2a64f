import Agent
import Foundation
import Logging
import ResyncCore
import TestSupport
import Testing

@testable import HWA
@testable import Knowledge

/// Seeded mutations of the other outside inputs: HWA JSON responses (the client's decoding and mapping),
/// knowledge files (`.xlsx` bytes, its XML parts, CSV) and the question parser.
@Suite("Reliability: fuzzing HWA responses, knowledge files and questions")
struct ReliabilityFuzzDataTests {
    static let jobPage = Array(
        #"""
        {"count": 2, "next": null, "results": [
          {"id": "j1", "name": "PAYROLL_FINAL", "folder": "/", "workstation": "/CPU_PAY", "jobStreamName": "FOLHA",
           "jobStreamId": "s1", "schedTime": "2026-11-26T01:00:00Z", "priority": 10, "lastRunCommonStatus": "ERROR",
           "lastRunCompositeStatus": {"status": "ABEND"},
           "jobruns": [{"id": "r1", "commonStatus": "ERROR", "compositeStatus": {"status": "ABEND"}, "returnCode": 12,
                        "timeInfo": {"actualStartTime": "2026-11-26T01:00:00Z", "actualEndTime": "2026-11-26T01:00:07.250Z"}}],
           "dependencies": [{"type": "JOB", "name": "ETL_LOAD", "status": "SATISFIED"}]},
          {"id": "j2", "name": "ETL_LOAD", "jobruns": [], "dependencies": []}
        ]}
        """#.utf8)
    static let otherResponses: [[UInt8]] = [
        #"{"displayVersion":"10.2.3","fullVersion":"10.2.3.0","timezone":"America/Sao_Paulo","licenseType":"PERJOB"}"#,
        #"{"id":"w1","name":"/CPU_PAY","type":"FTA","activeStates":["FULLY_LINKED","JOBMAN_UP"]}"#,
        #"{"count":3,"groupedCount":{"ERROR":2,"SUCC":1}}"#,
        #"{"exceptionName":"NotFound","messages":["AWSWB0001E job not found"]}"#,
    ].map { Array($0.utf8) }

    @Test func hwaJobPages() async {
        let summary = await FuzzRunner.run("HWA job page", samples: [Self.jobPage]) { bytes in
            guard let page = try? JSONDecoder().decode(PaginatedResponse<JobInPlanV2>.self, from: Data(bytes)) else {
                return .rejected
            }
            // Each job maps to the domain or is reported unreadable (SchedulerError), never a crash.
            let mapped = page.results.compactMap { try? $0.domain() }
            return mapped.isEmpty && !page.results.isEmpty ? .rejected : .accepted
        }
        expectSound(summary, minimumAccepted: 1)
    }

    @Test func hwaOtherResponses() async {
        let summary = await FuzzRunner.run("HWA engine/workstation/count/error bodies", samples: Self.otherResponses) {
            let data = Data($0)
            let decoder = JSONDecoder()
            var readable = 0
            if let engine = try? decoder.decode(EngineInfoV2.self, from: data), (try? engine.domain()) != nil {
                readable += 1
            }
            if let workstation = try? decoder.decode(WorkstationInPlanV2.self, from: data),
                (try? workstation.domain()) != nil
            {
                readable += 1
            }
            if (try? decoder.decode(GroupedCountResponse.self, from: data)) != nil { readable += 1 }
            if (try? decoder.decode(HWAErrorBody.self, from: data)) != nil { readable += 1 }
            return readable > 0 ? .accepted : .rejected
        }
        expectSound(summary, minimumAccepted: 1)
    }

    static let importer = KnowledgeImporter(logger: Logger(label: "test.fuzz-kb"))

    /// Imports `bytes` as a file with `suffix` through the importer (reader + row mapping).
    static func importVerdict(_ bytes: [UInt8], suffix: String, folder: URL) -> FuzzVerdict {
        let url = folder.appendingPathComponent("kb.\(suffix)")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else { return .rejected }
        do throws(KnowledgeImportError) {
            let result = try importer.read(path: url.path)
            return result.entries.isEmpty ? .rejected : .accepted
        } catch {
            return .rejected
        }
    }

    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func xlsxWorkbookBytes() async throws {
        let sample = try [UInt8](
            Data(contentsOf: RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx")))
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = FuzzSettings.fromEnvironment(smokeIterations: 100)
        let summary = await FuzzRunner.run("xlsx workbook bytes", samples: [sample], settings: settings) {
            Self.importVerdict($0, suffix: "xlsx", folder: folder)
        }
        expectSound(summary, minimumAccepted: 1)
    }

    static let sheetXML = Array(
        #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Código</t></is></c><c r="C1" t="s"><v>1</v></c></row>
        <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>12</v></c><c r="C2" s="1"><v>45352</v></c><c r="D2" t="b"><v>1</v></c>
        <c r="E2" t="e"><v>#N/A</v></c><c r="F2"><f>1+1</f><v>2</v></c></row></sheetData>
        <mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells></worksheet>
        """#.utf8)
    static let sharedStringsXML = Array(
        #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Job</t></si><si><r><t>Conta</t></r><r><t>to</t></r></si><si><t xml:space="preserve"> PAYROLL_FINAL </t></si></sst>"#
            .utf8)

    @Test func xlsxSheetAndSharedStringsXML() async {
        let context = WorksheetHandler.Context(
            sharedStrings: ["Job", "Contato", "PAYROLL_FINAL"], dateStyles: [1], uses1904: false)
        let summary = await FuzzRunner.run(
            "xlsx sheet + shared strings XML", samples: [Self.sheetXML, Self.sharedStringsXML]
        ) { bytes in
            // The streaming reader gets each part in chunks; an odd size puts chunk boundaries everywhere.
            let sheet = Self.scan(bytes, into: WorksheetHandler(context: context))
            let strings = Self.scan(bytes, into: SharedStringsHandler())
            return sheet != nil || strings != nil ? .accepted : .rejected
        }
        expectSound(summary, minimumAccepted: 2)
    }

    static func scan<Handler: XMLScanHandler>(_ bytes: [UInt8], into handler: Handler) -> Handler? {
        var handler = handler
        var scanner = XMLByteScanner()
        do {
            for start in stride(from: 0, to: bytes.count, by: 4_099) {
                try scanner.feed(Data(bytes[start..<min(bytes.count, start + 4_099)]), to: &handler)
            }
            try scanner.finish(with: &handler)
            return handler
        } catch {
            return nil
        }
    }

    static let csv = Array(
        ("Job;Código de erro;Descrição;Procedimento;Responsável;Contato\n"
            + "PAYROLL_FINAL;RC=12;Falha na folha;\"1. Verifique\n2. Reexecute\";Equipe Folha;folha@example.com\n"
            + "ETL_*;S0C4;\"Abend \"\"S0C4\"\"\";Reiniciar;Equipe ETL;(11) 4000-1234\n").utf8)

    @Test func csvFiles() async throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = await FuzzRunner.run("csv file", samples: [Self.csv]) {
            Self.importVerdict($0, suffix: "csv", folder: folder)
        }
        expectSound(summary, minimumAccepted: 1)
    }

    @Test func questions() async throws {
        let lines = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("Tests/ResyncTests/Agent/Fixtures/questions.jsonl"),
            encoding: .utf8
        ).split(separator: "\n")
        let samples = lines.prefix(60).compactMap { line -> [UInt8]? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["question"] as? String).map { Array($0.utf8) }
        }
        try #require(!samples.isEmpty)
        let parser = QuestionParser()
        let now = Date()
        let summary = await FuzzRunner.run("question parser", samples: samples) {
            // The parser never fails; what matters is that it neither crashes nor stalls on any text.
            _ = parser.parse(String(decoding: $0, as: UTF8.self), now: now)
            return .accepted
        }
        expectSound(summary, minimumAccepted: samples.count)
    }
}
