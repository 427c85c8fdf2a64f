import Agent
import Foundation
import ResyncCore
import Testing

@testable import Knowledge

/// Inputs the fuzzers found that crashed the process, kept so the fix stays in place.
@Suite("Reliability: fuzz regressions")
struct ReliabilityFuzzRegressionTests {
    /// Found by `xlsx sheet + shared strings XML` (seed 4703776341201122970): one flipped byte (0xE3) in an
    /// attribute name made Foundation's XMLParser trap on Linux (SIGILL), which would have taken the server
    /// down while importing the knowledge base. Now the part is refused with a clear error.
    /// (The exact input, base64: the shared-strings sample with `xml:space` turned into `xml:spa\u{E3}e`.)
    static let invalidUTF8AttributeName = [UInt8](
        Data(
            base64Encoded:
                "PHNzdCB4bWxucz0iaHR0cDovL3NjaGVtYXMub3BlbnhtbGZvcm1hdHMub3JnL3NwcmVhZHNoZWV0bWwvMjAwNi9tYWluIj48"
                + "c2k+PHQ+Sm9iPC90Pjwvc2k+PHNpPjxyPjx0PkNvbnRhPC90Pjwvcj48cj48dD50bzwvdD48L3I+PC9zaT48c2k+PHQgeG1s"
                + "OnNwYeNlPSJwcmVzZXJ2ZSI+IFBBWVJPTExfRklOQUwgPC50Pjwvc2k+PC9zc3Q+")!)

    static let invalidUTF8ElementName: [UInt8] =
        Array(#"<worksheet><sheetData><row r="1"><c"#.utf8) + [0xC3, 0x28]
        + Array(#" r="A1"><v>1</v></c></row></sheetData></worksheet>"#.utf8)

    /// Scans `bytes` as one part; the scanner's typed error, or the handler.
    static func scan<Handler: XMLScanHandler>(_ bytes: [UInt8], into handler: Handler) throws(XMLScanError)
        -> Handler
    {
        var handler = handler
        var scanner = XMLByteScanner()
        try scanner.feed(Data(bytes), to: &handler)
        try scanner.finish(with: &handler)
        return handler
    }

    @Test func attributeNameThatIsNotUTF8IsRefusedNotACrash() {
        #expect(throws: XMLScanError.self) {
            try Self.scan(Self.invalidUTF8AttributeName, into: SharedStringsHandler())
        }
        #expect(throws: XMLScanError.self) { try Self.scan(Self.invalidUTF8AttributeName, into: StylesHandler()) }
    }

    @Test func elementNameThatIsNotUTF8IsRefusedNotACrash() {
        let context = WorksheetHandler.Context(sharedStrings: [], dateStyles: [], uses1904: false)
        #expect(throws: XMLScanError.self) {
            try Self.scan(Self.invalidUTF8ElementName, into: WorksheetHandler(context: context))
        }
        #expect(throws: XMLScanError.self) { try Self.scan(Self.invalidUTF8ElementName, into: WorkbookHandler()) }
    }

    @Test func utf16PartsAreRefusedWithTheirReason() throws {
        let text = #"<?xml version="1.0" encoding="UTF-16"?><sst><si><t>Responsável</t></si></sst>"#
        let data = try #require(text.data(using: .utf16))
        #expect(throws: XMLScanError.self) { try Self.scan(Array(data), into: SharedStringsHandler()) }
    }

    /// Found by `xlsx sheet + shared strings XML` under `make reliability` (seed 8079148066446620359): a cell
    /// reference with a long run of column letters overflowed Int in `CellReference` (a trap, SIGILL).
    @Test(arguments: [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1", "A99999999999999999999999999", "ZZZZZZZZZZZZZZ", "XFE1",
        "A1048577",
    ])
    func cellReferencesBeyondExcelsLimitsAreRefusedNotACrash(reference: String) {
        #expect(CellReference(reference) == nil)
    }

    @Test func cellReferencesWithinExcelsLimitsStillRead() {
        #expect(CellReference("XFD1048576")?.column == 16_383)
        #expect(CellReference("$B$7")?.row == 6)
    }

    @Test func sheetWithAnOverlongCellReferenceDoesNotCrash() throws {
        let xml =
            #"<worksheet><sheetData><row r="1"><c r="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#
        let context = WorksheetHandler.Context(sharedStrings: [], dateStyles: [], uses1904: false)
        let table = try Self.scan(Array(xml.utf8), into: WorksheetHandler(context: context)).table
        // The reference is ignored: the cell takes the next column, as a cell without `r` does.
        #expect(table.rows.first?.cells == ["x"])
    }

    /// Found by `question parser` under `make reliability` (seed 7432376161738008637): a 52,024-byte mutated
    /// question took 161 s to parse. Questions are now read up to `maximumQuestionCharacters`.
    @Test func aVeryLongQuestionIsReadFromItsBeginning() {
        let junk = String(repeating: "e então, ontem desde as 14h, o lote falhou? ", count: 1_200)
        let parsed = QuestionParser().parse("status PAYROLL_FINAL " + junk, now: Date())
        #expect(parsed.intent == .jobStatus)
        #expect(parsed.jobName == "PAYROLL_FINAL")
    }
}
