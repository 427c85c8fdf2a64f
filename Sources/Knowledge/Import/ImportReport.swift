import Foundation
import ResyncCore

/// A row of a spreadsheet or CSV file that did not become an entry, and why.
public struct RejectedRow: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var sheet: String?
    public var row: Int
    public var reason: String

    public var description: String {
        "\(file)\(sheet.map { " [\($0)]" } ?? "") row \(row): \(reason)"
    }
}

/// A file that could not be read at all; any such file stops the import.
public struct RejectedFile: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)" }
}

/// What one file contributed.
public struct ImportedFile: Hashable, Sendable, Codable {
    public var file: String
    public var sheets: [String]
    public var rowsRead: Int
    public var entries: Int
}

/// What an import read, what it changed, and what it rejected.
public struct KnowledgeImportReport: Hashable, Sendable, Codable {
    public var path: String
    public var files: [ImportedFile] = []
    public var rowsRead = 0
    public var entries = 0
    public var rejectedRows: [RejectedRow] = []
    public var rejectedFiles: [RejectedFile] = []
    /// Sheets skipped because no header row with known columns was found.
    public var skippedSheets: [String] = []
    /// Set once the entries were written to the store.
    public var outcome: KnowledgeReplaceOutcome?
    /// The whole import; `readDuration` is its reading part (files to entries), before any store write.
    public var duration: Duration = .zero
    public var readDuration: Duration = .zero

    /// The report as lines for a terminal or a log.
    public var lines: [String] {
        var lines = ["knowledge import of \(path): \(files.count) file(s), \(rowsRead) row(s) read, \(entries) entries"]
        if let outcome {
            lines.append(
                "created \(outcome.created), updated \(outcome.updated), unchanged \(outcome.unchanged), "
                    + "removed \(outcome.removed)")
            if outcome.vectorsMissing > 0 {
                lines.append(
                    "\(outcome.vectorsMissing) entries have no embedding yet (the embeddings endpoint was too slow); "
                        + "they are found by words until the next import computes them")
            }
        }
        lines += skippedSheets.map { "skipped sheet \($0): no header row with known columns (e.g. Job, Procedimento)" }
        lines += rejectedRows.map { "rejected \($0)" }
        lines += rejectedFiles.map { "rejected file \($0)" }
        return lines
    }
}
