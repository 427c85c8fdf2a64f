import Foundation

/// Reads RFC 4180 CSV: quoted fields with `""` escapes and line breaks, `,` or `;` separators (whichever
/// the header line uses), UTF-8 with or without BOM, and Latin-1 for files saved by older Excel versions.
enum CSVReader {
    static func read(url: URL) throws(KnowledgeImportError) -> SheetTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableText(file: url.lastPathComponent, reason: "\(error.localizedDescription)")
        }
        do {
            return try parse(decode(data))
        } catch {
            throw .unreadableText(file: url.lastPathComponent, reason: error.description)
        }
    }

    static func decode(_ data: Data) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: Data(bytes), encoding: .utf8) { return text }
        // Every byte sequence is valid Latin-1, so this never fails.
        return String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
    }

    /// A quoted field still open at the end of the file: everything after its opening quote would become one
    /// cell, silently swallowing the rows that follow, so the file is refused instead.
    struct UnterminatedQuote: Error, CustomStringConvertible {
        let row: Int

        var description: String {
            "the quoted field that starts on line \(row) is never closed; add the missing '\"' and import again"
        }
    }

    static func parse(_ text: String) throws(UnterminatedQuote) -> SheetTable {
        let separator = detectSeparator(text)
        var rows: [SheetRow] = []
        var cells: [String] = []
        var field = ""
        var inQuotes = false
        var lineNumber = 1
        var rowStartLine = 1
        var quoteStartLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRow() {
            cells.append(field)
            field = ""
            rows.append(SheetRow(number: rowStartLine, cells: cells))
            cells = []
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else if scalar == "\r" {
                    // A line break inside a cell is kept as "\n", whatever the file's line endings (as in .xlsx).
                    let next = iterator.next()
                    if next != "\n" { pending = next }
                    field.unicodeScalars.append("\n")
                    lineNumber += 1
                } else {
                    if scalar == "\n" { lineNumber += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                quoteStartLine = lineNumber
            case separator:
                cells.append(field)
                field = ""
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRow()
                lineNumber += 1
                rowStartLine = lineNumber
            case "\n":
                endRow()
                lineNumber += 1
                rowStartLine = lineNumber
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw UnterminatedQuote(row: quoteStartLine) }
        if !field.isEmpty || !cells.isEmpty { endRow() }
        return SheetTable(name: nil, rows: rows)
    }

    /// The separator used most on the first line, outside quotes: `;` (Excel in pt-BR), `,` or tab.
    static func detectSeparator(_ text: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { inQuotes.toggle() }
            if inQuotes { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let best = counts.max { lhs, rhs in lhs.value < rhs.value || (lhs.value == rhs.value && lhs.key != ",") }
        return (best?.value ?? 0) > 0 ? best!.key : ","
    }
}
