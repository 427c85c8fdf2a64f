import Foundation
import ResyncCore

/// One sheet (or CSV file) as rows of cell texts, before column mapping.
struct SheetTable: Sendable {
    var name: String?
    var rows: [SheetRow]
    /// Merged cell ranges (zero-based, inclusive), used to name header cells covered by a merge.
    var merges: [CellRange] = []
}

/// A row of a sheet: its 1-based number as the user sees it, and the cell texts by column (0-based).
struct SheetRow: Sendable {
    var number: Int
    var cells: [String]

    var isBlank: Bool { cells.allSatisfy(\.isBlank) }

    func cell(_ column: Int) -> String {
        column < cells.count ? cells[column] : ""
    }
}

/// A rectangle of cells, zero-based and inclusive: `B1:C2` is rows 0...1, columns 1...2.
struct CellRange: Hashable, Sendable {
    var firstRow: Int
    var firstColumn: Int
    var lastRow: Int
    var lastColumn: Int

    /// Parses `A1`-style references (`B1:D1`, `C3`).
    init?(reference: String) {
        let parts = reference.split(separator: ":")
        guard let first = parts.first, let start = CellReference(String(first)) else { return nil }
        let end = parts.count > 1 ? CellReference(String(parts[1])) : start
        guard let end else { return nil }
        firstRow = start.row
        firstColumn = start.column
        lastRow = end.row
        lastColumn = end.column
    }

    func contains(row: Int, column: Int) -> Bool {
        (firstRow...lastRow).contains(row) && (firstColumn...lastColumn).contains(column)
    }
}

/// A cell reference like `AB12`: zero-based column and row.
struct CellReference: Hashable, Sendable {
    var column: Int
    var row: Int

    init?(_ text: String) {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z" where !sawDigit:
                column = column * 26 + Int(scalar.value - 64)
                sawLetter = true
            case "a"..."z" where !sawDigit:
                column = column * 26 + Int(scalar.value - 96)
                sawLetter = true
            case "0"..."9":
                row = row * 10 + Int(scalar.value - 48)
                sawDigit = true
            case "$":
                continue
            default:
                return nil
            }
            // Past Excel's limits (XFD, row 1,048,576) the reference is invalid; stopping here also keeps a long
            // run of letters or digits from overflowing Int, which trapped the process (found by fuzzing).
            guard column <= 16_384, row <= 1_048_576 else { return nil }
        }
        guard sawLetter else { return nil }
        self.column = column - 1
        self.row = sawDigit ? row - 1 : 0
    }

    /// Column index from the letters alone (`AB` → 27).
    static func columnIndex(_ reference: String) -> Int? {
        CellReference(reference)?.column
    }
}
