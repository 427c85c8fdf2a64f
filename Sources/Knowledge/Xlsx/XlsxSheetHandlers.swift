import Foundation

/// Turns the scanner's events for one worksheet part into rows of cell texts, and collects its merged
/// ranges. Rows and cells without an `r` reference follow the previous one; a formula's text (`<f>`) is
/// ignored and its cached value (`<v>`) read.
struct WorksheetHandler: XMLScanHandler {
    struct Context {
        var sharedStrings: [String]
        var dateStyles: Set<Int>
        var uses1904: Bool
    }

    /// The cell being read.
    struct Cell {
        var column: Int
        var type: String
        var style: Int
        var value = ""
        var inlineText = ""
    }

    enum Capture { case none, value, inlineText }

    let context: Context
    private(set) var table = SheetTable(name: nil, rows: [])
    private var rowNumber = 0
    private var inRow = false
    private var cells: [String] = []
    private var nextColumn = 0
    private var cell: Cell?
    private var inInlineString = false
    private var capture = Capture.none
    private var phoneticDepth = 0

    init(context: Context) {
        self.context = context
    }

    var wantsText: Bool { capture != .none }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        switch localName {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            inRow = true
            cells = []
            nextColumn = 0
        case "c" where inRow:
            let column = attributes["r"].flatMap(CellReference.columnIndex) ?? nextColumn
            nextColumn = column + 1
            cell = Cell(column: column, type: attributes["t"] ?? "n", style: attributes["s"].flatMap(Int.init) ?? 0)
        case "v" where cell != nil: capture = .value
        case "is" where cell != nil: inInlineString = true
        case "t" where inInlineString && phoneticDepth == 0: capture = .inlineText
        case "rPh": phoneticDepth += 1
        case "mergeCell":
            if let range = attributes["ref"].flatMap(CellRange.init(reference:)) { table.merges.append(range) }
        default: break
        }
    }

    mutating func text(_ text: String) {
        switch capture {
        case .value: cell?.value += text
        case .inlineText: cell?.inlineText += text
        case .none: break
        }
    }

    mutating func endElement(_ localName: String) {
        switch localName {
        case "v", "t": capture = .none
        case "is": inInlineString = false
        case "rPh": phoneticDepth -= 1
        case "c":
            if let cell { store(cell) }
            cell = nil
        case "row":
            table.rows.append(SheetRow(number: rowNumber, cells: cells))
            inRow = false
        default: break
        }
    }

    private mutating func store(_ cell: Cell) {
        let text = cellText(cell)
        guard !text.isEmpty, cell.column < 16_384 else { return }
        if cells.count <= cell.column { cells += Array(repeating: "", count: cell.column + 1 - cells.count) }
        cells[cell.column] = text
    }

    func cellText(_ cell: Cell) -> String {
        switch cell.type {
        case "s":
            guard let index = Int(cell.value.trimmingCharacters(in: .whitespaces)),
                context.sharedStrings.indices.contains(index)
            else { return "" }
            return context.sharedStrings[index]
        case "inlineStr": return cell.inlineText
        case "str", "e", "d": return cell.value
        case "b": return cell.value == "1" ? "TRUE" : (cell.value.isEmpty ? "" : "FALSE")
        default: return numberText(cell)
        }
    }

    func numberText(_ cell: Cell) -> String {
        let raw = cell.value.trimmingCharacters(in: .whitespaces)
        guard let number = Double(raw) else { return raw }
        if context.dateStyles.contains(cell.style) {
            return SpreadsheetDate.text(serial: number, uses1904: context.uses1904)
        }
        if number.rounded() == number, abs(number) < 1e15 {
            return String(Int64(number))
        }
        return raw
    }
}

/// `xl/sharedStrings.xml`: each `<si>` is plain `<t>` or rich runs `<r><t>`, concatenated; phonetic
/// hints (`<rPh>`) are not part of the text.
struct SharedStringsHandler: XMLScanHandler {
    private(set) var strings: [String] = []
    private var current: String?
    private var inText = false
    private var phoneticDepth = 0

    var wantsText: Bool { inText }

    mutating func startElement(_ localName: String, attributes: XMLAttributes) {
        switch localName {
        case "sst":
            // Reserve for the announced count, within reason: the file may lie.
            if let count = attributes["uniqueCount"].flatMap(Int.init) { strings.reserveCapacity(min(count, 1 << 20)) }
        case "si": current = ""
        case "t": inText = current != nil && phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    mutating func text(_ text: String) {
        current? += text
    }

    mutating func endElement(_ localName: String) {
        switch localName {
        case "si":
            strings.append(current ?? "")
            current = nil
        case "t": inText = false
        case "rPh": phoneticDepth -= 1
        default: break
        }
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
