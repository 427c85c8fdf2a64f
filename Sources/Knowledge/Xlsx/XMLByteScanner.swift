import Foundation

/// Receives the events of an `XMLByteScanner`: elements by local name (namespace prefix removed) and
/// decoded text. Text is only decoded while `wantsText` is true, so skipped parts of a large part cost
/// a byte search and nothing more.
protocol XMLScanHandler {
    var wantsText: Bool { get }
    mutating func startElement(_ localName: String, attributes: XMLAttributes)
    mutating func endElement(_ localName: String)
    /// A piece of an element's text; one element's text may arrive in several pieces (CDATA, chunks).
    mutating func text(_ text: String)
}

/// A streaming, byte-level XML tokenizer for the large parts of a workbook (worksheets, shared strings).
///
/// Bytes are pushed in chunks of any size (`feed`); complete tokens are reported to the handler and only
/// the unfinished tail of the input is kept, so memory is one chunk plus the longest single token (a tag
/// or one text node), never the whole part. It checks what matters for reading a spreadsheet safely —
/// tag nesting, one root element, attribute syntax, entities and character references in the text it
/// decodes, unterminated markup — and reports the line of the problem. DTDs are skipped and never
/// expanded; only the five predefined entities and numeric character references are known.
struct XMLByteScanner {
    /// The longest single token (tag, text node, comment, CDATA section) the scanner holds in memory.
    static let maximumTokenBytes = 16 * 1024 * 1024

    private var pending: [UInt8] = []
    private var openElements: [String] = []
    private var line = 1
    private var sawRoot = false
    private var atStart = true

    /// Scans `chunk`, reporting every token it completes.
    mutating func feed(_ chunk: Data, to handler: inout some XMLScanHandler) throws(XMLScanError) {
        pending.append(contentsOf: chunk)
        try scanPending(final: false, handler: &handler)
        guard pending.count <= Self.maximumTokenBytes else {
            throw XMLScanError(line: line, message: "a single tag or text is longer than 16 MiB")
        }
    }

    /// Ends the input: whatever is left must be complete, and every element closed.
    mutating func finish(with handler: inout some XMLScanHandler) throws(XMLScanError) {
        try scanPending(final: true, handler: &handler)
        if let open = openElements.last {
            throw XMLScanError(line: line, message: "the part ends before <\(open)> is closed")
        }
        guard sawRoot else { throw XMLScanError(line: line, message: "the part has no root element") }
    }

    private mutating func scanPending(final: Bool, handler: inout some XMLScanHandler) throws(XMLScanError) {
        var buffer: [UInt8] = []
        swap(&buffer, &pending)
        defer { swap(&buffer, &pending) }
        let consumed = try buffer.withUnsafeBufferPointer { bytes throws(XMLScanError) in
            try scan(bytes, final: final, handler: &handler)
        }
        buffer.removeFirst(consumed)
    }

    /// Scans complete tokens of `bytes` and returns how many bytes they took.
    private mutating func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, final: Bool, handler: inout some XMLScanHandler
    ) throws(XMLScanError) -> Int {
        var position = 0
        if atStart {
            guard let skipped = try byteOrderMarkLength(bytes, final: final) else { return 0 }
            position = skipped
            atStart = false
        }
        while position < bytes.count {
            let next: Int?
            if bytes[position] == UInt8(ascii: "<") {
                next = try markup(bytes, at: position, final: final, handler: &handler)
            } else {
                next = try characters(bytes, at: position, final: final, handler: &handler)
            }
            guard let next else { break }
            position = next
        }
        return position
    }

    /// Skips a UTF-8 byte order mark and rejects UTF-16 parts, which Excel does not write.
    private func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws(XMLScanError) -> Int? {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw XMLScanError(line: 1, message: "the part is UTF-16 encoded; only UTF-8 parts are supported")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return 3 }
        if bytes.count < 3, !final { return nil }
        return 0
    }

    /// Text up to the next `<`. Returns nil when the text may continue in the next chunk.
    private mutating func characters(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, final: Bool, handler: inout some XMLScanHandler
    ) throws(XMLScanError) -> Int? {
        var end = start
        var newlines = 0
        var onlyWhitespace = true
        var plain = true
        while end < bytes.count, bytes[end] != UInt8(ascii: "<") {
            let byte = bytes[end]
            if byte == 0x0A { newlines += 1 }
            if byte == UInt8(ascii: "&") || byte == 0x0D { plain = false }
            if onlyWhitespace, !XMLBytes.isWhitespace(byte) { onlyWhitespace = false }
            end += 1
        }
        if end == bytes.count, !final { return nil }
        if openElements.isEmpty {
            guard onlyWhitespace else { throw XMLScanError(line: line, message: "text outside the root element") }
        } else if handler.wantsText {
            let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
            do {
                handler.text(try XMLBytes.decodeText(text, plain: plain))
            } catch {
                throw XMLScanError(line: line, message: error.message)
            }
        }
        line += newlines
        return end
    }

    /// A tag, comment, CDATA section, processing instruction or DOCTYPE starting at `start` (a `<`).
    /// Returns nil when it is not complete in `bytes` yet.
    private mutating func markup(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, final: Bool, handler: inout some XMLScanHandler
    ) throws(XMLScanError) -> Int? {
        guard start + 1 < bytes.count else { return final ? try unterminated(bytes, start) : nil }
        switch bytes[start + 1] {
        case UInt8(ascii: "/"):
            guard let close = XMLBytes.tagEnd(bytes, from: start + 2) else {
                return try incomplete(bytes, start, final)
            }
            try endTag(UnsafeBufferPointer(rebasing: bytes[(start + 2)..<close]), handler: &handler)
            line += XMLBytes.newlines(bytes, start..<close)
            return close + 1
        case UInt8(ascii: "?"):
            return try skip(bytes, from: start, bodyOffset: 2, until: "?>", final: final)
        case UInt8(ascii: "!"):
            return try declaration(bytes, at: start, final: final, handler: &handler)
        default:
            guard let close = XMLBytes.tagEnd(bytes, from: start + 1) else {
                return try incomplete(bytes, start, final)
            }
            try startTag(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<close]), handler: &handler)
            line += XMLBytes.newlines(bytes, start..<close)
            return close + 1
        }
    }

    /// `<!--…-->`, `<![CDATA[…]]>` (reported as text) or `<!DOCTYPE…>` (skipped, never expanded).
    private mutating func declaration(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, final: Bool, handler: inout some XMLScanHandler
    ) throws(XMLScanError) -> Int? {
        let cdataOpen = Array("<![CDATA[".utf8)
        let available = bytes.count - start
        if XMLBytes.hasPrefix(bytes, at: start, Array("<!--".utf8)) {
            return try skip(bytes, from: start, bodyOffset: 4, until: "-->", final: final)
        }
        if XMLBytes.hasPrefix(bytes, at: start, cdataOpen) {
            guard let close = XMLBytes.find(Array("]]>".utf8), in: bytes, from: start + cdataOpen.count) else {
                return try incomplete(bytes, start, final)
            }
            guard !openElements.isEmpty else {
                throw XMLScanError(line: line, message: "CDATA outside the root element")
            }
            if handler.wantsText {
                let content = UnsafeBufferPointer(rebasing: bytes[(start + cdataOpen.count)..<close])
                handler.text(XMLBytes.decodeCDATA(content))
            }
            line += XMLBytes.newlines(bytes, start..<close)
            return close + 3
        }
        if XMLBytes.hasPrefix(bytes, at: start, Array("<!DOCTYPE".utf8)) {
            guard let close = XMLBytes.doctypeEnd(bytes, from: start) else {
                return try incomplete(bytes, start, final)
            }
            line += XMLBytes.newlines(bytes, start..<close)
            return close + 1
        }
        if available < cdataOpen.count, !final { return nil }
        let known = UnsafeBufferPointer(rebasing: bytes[start..<min(bytes.count, start + cdataOpen.count)])
        throw XMLScanError(line: line, message: "unknown markup '\(String(decoding: known, as: UTF8.self))'")
    }

    private mutating func startTag(
        _ tag: UnsafeBufferPointer<UInt8>, handler: inout some XMLScanHandler
    ) throws(XMLScanError) {
        let isEmpty = tag.last == UInt8(ascii: "/")
        let body = UnsafeBufferPointer(rebasing: tag[0..<(isEmpty ? tag.count - 1 : tag.count)])
        var nameEnd = 0
        while nameEnd < body.count, !XMLBytes.isWhitespace(body[nameEnd]) { nameEnd += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: body[0..<nameEnd]), as: UTF8.self)
        guard XMLBytes.isName(name) else {
            throw XMLScanError(line: line, message: "'<\(name)' does not start a valid element name")
        }
        if openElements.isEmpty, sawRoot {
            throw XMLScanError(line: line, message: "a second root element <\(name)> after the first one closed")
        }
        let attributes: XMLAttributes
        do {
            attributes = try XMLAttributes(parsing: UnsafeBufferPointer(rebasing: body[nameEnd...]))
        } catch {
            throw XMLScanError(line: line, message: "in <\(name)>: \(error.message)")
        }
        sawRoot = true
        let localName = XMLBytes.localName(name)
        handler.startElement(localName, attributes: attributes)
        if isEmpty {
            handler.endElement(localName)
        } else {
            openElements.append(name)
        }
    }

    private mutating func endTag(_ tag: UnsafeBufferPointer<UInt8>, handler: inout some XMLScanHandler)
        throws(XMLScanError)
    {
        var nameEnd = tag.count
        while nameEnd > 0, XMLBytes.isWhitespace(tag[nameEnd - 1]) { nameEnd -= 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: tag[0..<nameEnd]), as: UTF8.self)
        guard let open = openElements.last else {
            throw XMLScanError(line: line, message: "</\(name)> closes an element that was never opened")
        }
        guard open == name else {
            throw XMLScanError(line: line, message: "</\(name)> found where </\(open)> was expected")
        }
        openElements.removeLast()
        handler.endElement(XMLBytes.localName(name))
    }

    private mutating func skip(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bodyOffset: Int, until terminator: String, final: Bool
    ) throws(XMLScanError) -> Int? {
        let marker = Array(terminator.utf8)
        guard let close = XMLBytes.find(marker, in: bytes, from: start + bodyOffset) else {
            return try incomplete(bytes, start, final)
        }
        line += XMLBytes.newlines(bytes, start..<close)
        return close + marker.count
    }

    private func incomplete(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ final: Bool) throws(XMLScanError)
        -> Int?
    {
        final ? try unterminated(bytes, start) : nil
    }

    private func unterminated(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) throws(XMLScanError) -> Int? {
        throw XMLScanError(
            line: line, message: "the part ends inside unterminated markup '\(XMLBytes.preview(bytes, from: start))'")
    }
}

/// What is wrong with a part, and on which line.
struct XMLScanError: Error, Equatable, CustomStringConvertible {
    var line: Int
    var message: String

    var description: String { "line \(line): \(message)" }
}
