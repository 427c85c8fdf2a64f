import Foundation
import Testing

@testable import Knowledge

/// Records every event as text, to check what the scanner reports.
struct RecordingHandler: XMLScanHandler {
    var events: [String] = []
    var wantsText: Bool { true }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        let pairs = attributes.pairs.map { "\($0.name)=\($0.value)" }
        events.append(pairs.isEmpty ? "<\(localName)>" : "<\(localName) \(pairs.joined(separator: " "))>")
    }

    mutating func endElement(_ localName: String) { events.append("</\(localName)>") }

    mutating func text(_ text: String) {
        // Pieces of one text node (chunks, CDATA) are joined so every chunking records the same events.
        if let last = events.last, last.hasPrefix("text:") {
            events[events.count - 1] = last + text
        } else {
            events.append("text:" + text)
        }
    }
}

/// Feeds `xml` to a scanner in chunks of `chunkSize` bytes, as the archive's inflater does.
func scanXML<Handler: XMLScanHandler>(
    _ xml: String, chunkSize: Int, into handler: Handler
) throws(XMLScanError) -> Handler {
    var handler = handler
    var scanner = XMLByteScanner()
    let bytes = Data(xml.utf8)
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunkSize)
        try scanner.feed(bytes.subdata(in: offset..<end), to: &handler)
        offset = end
    }
    try scanner.finish(with: &handler)
    return handler
}

/// Chunk sizes that split tokens, entities and multi-byte characters at every possible place.
let chunkSizes = [1, 2, 3, 5, 7, 64, 65_536]

@Suite("Knowledge .xlsx streaming XML scanner")
struct XlsxXMLScannerTests {
    @Test(arguments: chunkSizes)
    func decodesEntitiesAndCharacterReferences(chunkSize: Int) throws {
        let xml =
            #"<t a="x &amp; &quot;y&quot;">a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#10;&#x41;&#233;ção</t>"#
        let handler = try scanXML(xml, chunkSize: chunkSize, into: RecordingHandler())
        #expect(handler.events == [#"<t a=x & "y">"#, "text:a & b <c> \"d\" 'e'\nAéção", "</t>"])
    }

    @Test(arguments: chunkSizes)
    func normalisesLineEndsButKeepsEscapedCarriageReturns(chunkSize: Int) throws {
        let handler = try scanXML("<t>a\r\nb\rc&#13;d</t>", chunkSize: chunkSize, into: RecordingHandler())
        #expect(handler.events == ["<t>", "text:a\nb\nc\rd", "</t>"])
    }

    @Test(arguments: chunkSizes)
    func skipsDeclarationsCommentsAndDoctypeAndReadsCDATA(chunkSize: Int) throws {
        let xml = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!DOCTYPE sst [<!ENTITY boom "never expanded">]>
            <!-- a comment with <tags> and > signs -->
            <x:sst xmlns:x="urn:x"><x:t><![CDATA[<raw> & ]]]]><![CDATA[>]]> tail<!-- inside --> end</x:t></x:sst>
            """
        let handler = try scanXML(xml, chunkSize: chunkSize, into: RecordingHandler())
        #expect(
            handler.events == [
                "<sst xmlns:x=urn:x>", "<t>", "text:<raw> & ]]> tail end", "</t>", "</sst>",
            ])
    }

    @Test(arguments: chunkSizes)
    func readsPrefixedSelfClosingAndQuotedValuesWithAngleBrackets(chunkSize: Int) throws {
        let xml = #"<x:a xmlns:x='u' ><x:b k = 'v>w' xml:space="preserve"/><x:c></x:c ></x:a>"#
        let handler = try scanXML(xml, chunkSize: chunkSize, into: RecordingHandler())
        #expect(
            handler.events == [
                "<a xmlns:x=u>", "<b k=v>w xml:space=preserve>", "</b>", "<c>", "</c>", "</a>",
            ])
    }

    @Test func attributesAreFoundByLocalName() throws {
        let attributes = try Array(#" x:r="A1" t='s'"#.utf8).withUnsafeBufferPointer { bytes in
            try XMLAttributes(parsing: bytes)
        }
        #expect(attributes["r"] == "A1")
        #expect(attributes["t"] == "s")
        #expect(attributes["s"] == nil)
    }

    @Test(
        arguments: [
            ("<a><b></a>", "line 1: </a> found where </b> was expected"),
            ("<a>\n<b>\n</c></a>", "line 3: </c> found where </b> was expected"),
            ("<a>&nbsp;</a>", "line 1: unknown entity '&nbsp;'"),
            ("<a>AT&T</a>", "line 1: '&T' is not a complete entity or character reference (write & as &amp;)"),
            ("<a>&#xD800;</a>", "line 1: '&#xD800;' is not a valid character reference"),
            ("<a><b r=\"A1\"", "line 1: the part ends inside unterminated markup '<b r=\"A1\"'"),
            ("<a><b>", "line 1: the part ends before <b> is closed"),
            ("<a/>text", "line 1: text outside the root element"),
            ("<a/><b/>", "line 1: a second root element <b> after the first one closed"),
            ("</a>", "line 1: </a> closes an element that was never opened"),
            ("<a r=A1/>", "line 1: in <a>: the value of attribute 'r' is not quoted"),
            ("<a r=\"1\" r=\"2\"/>", "line 1: in <a>: attribute 'r' appears twice"),
            ("<a r/>", "line 1: in <a>: attribute 'r' has no value"),
            ("<a><!-- open", "line 1: the part ends inside unterminated markup '<!-- open'"),
            ("<a><!ELEMENT a></a>", "line 1: unknown markup '<!ELEMENT'"),
            ("<1a/>", "line 1: '<1a' does not start a valid element name"),
            ("  ", "line 1: the part has no root element"),
        ])
    func rejectsMalformedXMLWithLineAndReason(xml: String, expected: String) {
        for chunkSize in [1, 4, 1024] {
            let error = #expect(throws: XMLScanError.self) {
                try scanXML(xml, chunkSize: chunkSize, into: RecordingHandler())
            }
            #expect(error?.description == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func rejectsUTF16Parts() {
        var handler = RecordingHandler()
        var scanner = XMLByteScanner()
        #expect(throws: XMLScanError(line: 1, message: "the part is UTF-16 encoded; only UTF-8 parts are supported")) {
            try scanner.feed(Data([0xFF, 0xFE, 0x3C, 0x00]), to: &handler)
        }
    }

    @Test func boundsTheLongestToken() {
        var handler = RecordingHandler()
        var scanner = XMLByteScanner()
        let opening = Data("<a><t>".utf8)
        let text = Data(repeating: UInt8(ascii: "x"), count: XMLByteScanner.maximumTokenBytes + 1)
        #expect(throws: XMLScanError(line: 1, message: "a single tag or text is longer than 16 MiB")) {
            try scanner.feed(opening, to: &handler)
            try scanner.feed(text, to: &handler)
        }
    }
}
