import Foundation
import Testing

@testable import Knowledge

@Suite("Knowledge .xlsx worksheet and shared strings reading")
struct XlsxWorksheetHandlerTests {
    /// Shared strings 0 and 1; style 1 shows dates.
    let context = WorksheetHandler.Context(sharedStrings: ["Job", "Ação"], dateStyles: [1], uses1904: false)

    func sheet(_ sheetData: String, chunkSize: Int, extra: String = "") throws -> SheetTable {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetData>\(sheetData)</sheetData>\(extra)</worksheet>
            """
        return try scanXML(xml, chunkSize: chunkSize, into: WorksheetHandler(context: context)).table
    }

    @Test(arguments: chunkSizes)
    func readsEveryCellType(chunkSize: Int) throws {
        let table = try sheet(
            """
            <row r="1" spans="1:9"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t>inline</t></is></c>\
            <c r="C1" t="str"><f>A1&amp;"!"</f><v>Ação!</v></c><c r="D1" t="b"><v>0</v></c>\
            <c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="d"><v>2024-03-01T10:00:00</v></c>\
            <c r="G1"><v>0012</v></c><c r="H1" s="1"><v>45352.5</v></c><c r="I1" t="n"><v>1.25</v></c></row>
            """, chunkSize: chunkSize)
        #expect(table.rows.map(\.number) == [1])
        #expect(
            table.rows.first?.cells == [
                "Ação", "inline", "Ação!", "FALSE", "#N/A", "2024-03-01T10:00:00", "12", "2024-03-01 12:00", "1.25",
            ])
    }

    @Test(arguments: chunkSizes)
    func followsRowsAndCellsWithoutReferencesAndSelfClosingElements(chunkSize: Int) throws {
        let table = try sheet(
            """
            <row/><row><c t="inlineStr"><is><t>A</t></is></c><c/><c><v>3</v></c></row>\
            <row r="7"><c r="C7"><v>1.5</v></c><c t="s"/><c t="b"><v>1</v></c></row>\
            <row><c r="B9" t="s"><v>0</v></c></row>
            """, chunkSize: chunkSize)
        #expect(table.rows.map(\.number) == [1, 2, 7, 8])
        #expect(table.rows.map(\.cells) == [[], ["A", "", "3"], ["", "", "1.5", "", "TRUE"], ["", "Job"]])
    }

    @Test(arguments: chunkSizes)
    func readsPrefixesEntitiesRichInlineRunsAndMerges(chunkSize: Int) throws {
        let xml = """
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
              <x:row r="3">
                <x:c r="A3" t="inlineStr"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">Falha </x:t></x:r>\
            <x:r><x:t>&lt;crítica&gt; &amp; &#x41;&#10;fim</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ヨミ</x:t></x:rPh></x:is></x:c>
                <x:c r="B3" t="inlineStr"><x:is><x:t><![CDATA[a < b]]></x:t></x:is></x:c>
              </x:row>
            </x:sheetData><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref="G3:H3"/></x:mergeCells>
            </x:worksheet>
            """
        let table = try scanXML(xml, chunkSize: chunkSize, into: WorksheetHandler(context: context)).table
        #expect(table.rows.map(\.number) == [3])
        #expect(table.rows.first?.cells == ["Falha <crítica> & A\nfim", "a < b"])
        #expect(table.merges == [CellRange(reference: "A1:C1"), CellRange(reference: "G3:H3")])
    }

    @Test(arguments: chunkSizes)
    func sharedStringsJoinRichRunsAndSkipPhoneticHints(chunkSize: Int) throws {
        let xml = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">\
            <si><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">Falha </t></r><r><t>crítica</t></r></si>\
            <si><t>Ação</t><rPh sb="0" eb="1"><t>アクション</t></rPh><phoneticPr fontId="1"/></si>\
            <si><t/></si><si><t>Tom &amp; Jerry&#8482;</t></si></sst>
            """
        let strings = try scanXML(xml, chunkSize: chunkSize, into: SharedStringsHandler()).strings
        #expect(strings == ["Falha crítica", "Ação", "", "Tom & Jerry™"])
    }
}
