import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Base for the parsers of the small parts (workbook, relationships, styles; the large ones go through
/// `XMLByteScanner`): element names without namespace prefix, and error reporting.
class XMLPartParser: NSObject, XMLParserDelegate {
    let partName: String

    init(partName: String) {
        self.partName = partName
    }

    func run(_ data: Data) throws {
        // Foundation's XMLParser on Linux traps (a force unwrap) on an element or attribute name that is not
        // valid UTF-8, which a damaged or hostile workbook can hold: a crash of the whole server, found by
        // fuzzing. Such a part is refused before it reaches the parser.
        guard Self.isWellEncoded(data) else {
            throw XlsxError.malformedXML(part: partName, detail: "the part is not valid UTF-8 (or UTF-16) text")
        }
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.shouldProcessNamespaces = false
        guard parser.parse() else {
            let detail = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw XlsxError.malformedXML(part: partName, detail: "line \(parser.lineNumber): \(detail)")
        }
    }

    // Subclasses override these: the protocol's witnesses are bound here, on the base class.
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    }

    /// UTF-8 (what Excel and other writers use), or UTF-16 announced by its byte-order mark.
    static func isWellEncoded(_ data: Data) -> Bool {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return String(data: data, encoding: .utf16) != nil
        }
        return String(validating: data, as: UTF8.self) != nil
    }

    static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }
}

/// `xl/workbook.xml`: the sheets in order (name and relationship id) and the date system.
final class WorkbookParser: XMLPartParser {
    struct Sheet {
        var name: String
        var relationshipID: String
    }
    struct Workbook {
        var sheets: [Sheet] = []
        var uses1904 = false
    }

    var workbook = Workbook()

    static func parse(_ data: Data) throws -> Workbook {
        let parser = WorkbookParser(partName: "xl/workbook.xml")
        try parser.run(data)
        return parser.workbook
    }

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch Self.localName(elementName) {
        case "sheet":
            let id = attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
            workbook.sheets.append(
                Sheet(name: attributes["name"] ?? "Sheet\(workbook.sheets.count + 1)", relationshipID: id))
        case "workbookPr":
            let flag = attributes["date1904"]?.lowercased()
            workbook.uses1904 = flag == "1" || flag == "true"
        default:
            break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relationship id → target part.
final class RelationshipsParser: XMLPartParser {
    var targets: [String: String] = [:]

    static func parse(_ data: Data) throws -> [String: String] {
        let parser = RelationshipsParser(partName: "xl/_rels/workbook.xml.rels")
        try parser.run(data)
        return parser.targets
    }

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard Self.localName(elementName) == "Relationship", let id = attributes["Id"],
            let target = attributes["Target"]
        else { return }
        targets[id] = target
    }
}

/// `xl/styles.xml`: which cell formats (indexes into `cellXfs`) display numbers as dates or times.
final class StylesParser: XMLPartParser {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    var inCellXfs = false

    static func dateStyleIndexes(_ data: Data) throws -> Set<Int> {
        let parser = StylesParser(partName: "xl/styles.xml")
        try parser.run(data)
        var indexes = Set<Int>()
        for (index, formatID) in parser.cellFormats.enumerated() where parser.isDateFormat(formatID) {
            indexes.insert(index)
        }
        return indexes
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
            if escaped { escaped = false; continue }
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

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch Self.localName(elementName) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    override func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        if Self.localName(elementName) == "cellXfs" { inCellXfs = false }
    }
}
