import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Streams one worksheet part into rows of cell texts, and collects its merged ranges.
final class SheetParser: XMLPartParser {
    struct Context {
        var sharedStrings: [String]
        var dateStyles: Set<Int>
        var uses1904: Bool
    }

    let context: Context
    var table = SheetTable(name: nil, rows: [])
    var rowNumber = 0
    var cells: [String] = []
    var cellColumn = 0
    var cellType = ""
    var cellStyle = 0
    var value = ""
    var inlineText = ""
    var capture: Capture = .none
    var phoneticDepth = 0

    enum Capture { case none, value, inlineText }

    init(context: Context) {
        self.context = context
        super.init(partName: "worksheet")
    }

    static func parse(_ data: Data, context: Context) throws -> SheetTable {
        let parser = SheetParser(context: context)
        try parser.run(data)
        return parser.table
    }

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch Self.localName(elementName) {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellColumn = attributes["r"].flatMap(CellReference.columnIndex) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            inlineText = ""
        case "v": capture = .value
        case "t" where phoneticDepth == 0: capture = .inlineText
        case "rPh": phoneticDepth += 1
        case "mergeCell":
            if let range = attributes["ref"].flatMap(CellRange.init(reference:)) { table.merges.append(range) }
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .value: value += string
        case .inlineText: inlineText += string
        case .none: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.localName(elementName) {
        case "v", "t": capture = .none
        case "rPh": phoneticDepth -= 1
        case "c":
            let text = cellText()
            guard !text.isEmpty, cellColumn < 16_384 else { return }
            if cells.count <= cellColumn { cells += Array(repeating: "", count: cellColumn + 1 - cells.count) }
            cells[cellColumn] = text
        case "row":
            table.rows.append(SheetRow(number: rowNumber, cells: cells))
        default: break
        }
    }

    func cellText() -> String {
        switch cellType {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), context.sharedStrings.indices.contains(index)
            else { return "" }
            return context.sharedStrings[index]
        case "inlineStr": return inlineText
        case "str", "e", "d": return value
        case "b": return value == "1" ? "TRUE" : (value.isEmpty ? "" : "FALSE")
        default: return numberText()
        }
    }

    func numberText() -> String {
        let raw = value.trimmingCharacters(in: .whitespaces)
        guard let number = Double(raw) else { return raw }
        if context.dateStyles.contains(cellStyle) {
            return SpreadsheetDate.text(serial: number, uses1904: context.uses1904)
        }
        if number.rounded() == number, abs(number) < 1e15 {
            return String(Int64(number))
        }
        return raw
    }
}

/// Spreadsheet date serial numbers to ISO 8601 text (`2024-03-01`, or `2024-03-01 14:30` with a time).
enum SpreadsheetDate {
    static func text(serial: Double, uses1904: Bool) -> String {
        let wholeDays = Int(serial.rounded(.down))
        // 1900 system: day 1 is 1900-01-01 and day 60 is the non-existent 1900-02-29 (Lotus compatibility).
        let daysSince1970 =
            uses1904 ? wholeDays - 24_107 : (wholeDays >= 61 ? wholeDays - 25_569 : wholeDays - 25_568)
        let (year, month, day) = civilDate(daysSince1970: daysSince1970)
        var text = "\(year)-\(twoDigits(month))-\(twoDigits(day))"
        let seconds = Int(((serial - Double(wholeDays)) * 86_400).rounded())
        if seconds > 0 && seconds < 86_400 {
            text += " \(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60))"
            if seconds % 60 != 0 { text += ":\(twoDigits(seconds % 60))" }
        }
        return text
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Proleptic Gregorian date from a day count (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970: Int) -> (Int, Int, Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
