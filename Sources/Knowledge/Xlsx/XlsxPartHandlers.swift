import Foundation

// The small parts of a workbook go through the same byte scanner as the sheets: Foundation's XMLParser traps
// on some damaged input on Linux (names that are not UTF-8, found by fuzzing), which would take the whole
// server down while it imports a knowledge base.

/// `xl/workbook.xml`: the sheets in order (name and relationship id) and the date system.
struct WorkbookHandler: XMLScanHandler {
    struct Sheet {
        var name: String
        var relationshipID: String
    }

    private(set) var sheets: [Sheet] = []
    private(set) var uses1904 = false

    var wantsText: Bool { false }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        switch localName {
        case "sheet":
            // `r:id`: the relationship id, whatever prefix the writer gave its namespace.
            sheets.append(
                Sheet(name: attributes["name"] ?? "Sheet\(sheets.count + 1)", relationshipID: attributes["id"] ?? ""))
        case "workbookPr":
            let flag = attributes["date1904"]?.lowercased()
            uses1904 = flag == "1" || flag == "true"
        default: break
        }
    }

    mutating func endElement(_ localName: String) {}
    mutating func text(_ text: String) {}
}

/// `xl/_rels/workbook.xml.rels`: relationship id → target part.
struct RelationshipsHandler: XMLScanHandler {
    private(set) var targets: [String: String] = [:]

    var wantsText: Bool { false }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        guard localName == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }

    mutating func endElement(_ localName: String) {}
    mutating func text(_ text: String) {}
}

/// `xl/styles.xml`: which cell formats (indexes into `cellXfs`) display numbers as dates or times.
struct StylesHandler: XMLScanHandler {
    private var customFormats: [Int: String] = [:]
    private var cellFormats: [Int] = []
    private var inCellXfs = false

    var wantsText: Bool { false }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        switch localName {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    mutating func endElement(_ localName: String) {
        if localName == "cellXfs" { inCellXfs = false }
    }

    mutating func text(_ text: String) {}

    /// The `cellXfs` indexes whose number format shows a date or a time.
    var dateStyleIndexes: Set<Int> {
        Set(cellFormats.indices.filter { isDateFormat(cellFormats[$0]) })
    }

    // Built-in number formats that show dates or times (ECMA-376 §18.8.30).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    func isDateFormat(_ id: Int) -> Bool {
        if Self.builtInDateFormats.contains(id) { return true }
        guard let code = customFormats[id] else { return false }
        return Self.looksLikeDate(code)
    }

    /// A format code shows a date when, outside quoted text and `[...]` sections, it has d, m, y, h or s.
    static func looksLikeDate(_ code: String) -> Bool {
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            case "d", "m", "y", "h", "s":
                if !inQuotes && !inBrackets { return code.lowercased() != "general" }
            default: break
            }
        }
        return false
    }
}
