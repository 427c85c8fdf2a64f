import Foundation
import Logging
import ResyncCore

/// Entries read from a path, with the report of what was read and rejected.
public struct KnowledgeImport: Sendable {
    public var entries: [KnowledgeEntry]
    public var report: KnowledgeImportReport
}

/// Reads a knowledge base from a `.xlsx`, `.csv` or `.md` file, or a folder of them (recursively), and
/// replaces the store's contents with it in one transaction.
public struct KnowledgeImporter: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Reads `path` without touching any store. Unreadable files are listed in `report.rejectedFiles`.
    public func read(path: String) throws(KnowledgeImportError) -> KnowledgeImport {
        let clock = ContinuousClock()
        let start = clock.now
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .pathNotFound(path)
        }
        var report = KnowledgeImportReport(path: path)
        var entries: [KnowledgeEntry] = []
        let root = URL(fileURLWithPath: path)
        let files = isDirectory.boolValue ? Self.knowledgeFiles(under: root) : [root]
        if !isDirectory.boolValue, Self.kind(of: root) == nil { throw .unsupportedFile(path) }
        for url in files {
            let name = isDirectory.boolValue ? Self.relativePath(of: url, under: root) : url.lastPathComponent
            do {
                Self.append(try readFile(url, name: name, report: &report), to: &entries)
            } catch {
                report.rejectedFiles.append(RejectedFile(file: name, reason: error.description))
            }
        }
        EntryBuilder.disambiguate(&entries)
        report.entries = entries.count
        report.duration = clock.now - start
        report.readDuration = report.duration
        return KnowledgeImport(entries: entries, report: report)
    }

    /// Reads `path` and replaces the knowledge base with it. Throws, leaving the store untouched, when a
    /// file cannot be read or nothing usable was found.
    public func importKnowledge(from path: String, into store: any KnowledgeStore) async throws -> KnowledgeImportReport
    {
        do {
            let report = try await readAndReplace(path, into: store)
            FreedMemory.release()
            return report
        } catch {
            FreedMemory.release()
            throw error
        }
    }

    /// The import itself; its rows and entries are freed when it returns.
    func readAndReplace(_ path: String, into store: any KnowledgeStore) async throws -> KnowledgeImportReport {
        let clock = ContinuousClock()
        let start = clock.now
        var result = try read(path: path)
        guard result.report.rejectedFiles.isEmpty else {
            throw KnowledgeImportError.filesRejected(result.report.rejectedFiles)
        }
        guard !result.entries.isEmpty else { throw KnowledgeImportError.noEntries(path) }
        let errors = result.report.rejectedRows.count
        // Reading leaves its sheet tables freed but held by malloc (on this thread's arena); the store writes
        // on another thread, whose arena would otherwise grow on top of them.
        FreedMemory.release()
        result.report.outcome = try await store.replaceAll(with: result.entries, importErrors: errors)
        result.report.duration = clock.now - start
        return result.report
    }

    enum FileKind { case workbook, csv, runbook }

    static func kind(of url: URL) -> FileKind? {
        switch url.pathExtension.lowercased() {
        case "xlsx", "xlsm": .workbook
        case "csv": .csv
        case "md", "markdown": .runbook
        default: nil
        }
    }

    func readFile(_ url: URL, name: String, report: inout KnowledgeImportReport) throws(KnowledgeImportError)
        -> [KnowledgeEntry]
    {
        switch Self.kind(of: url) {
        case .workbook:
            var tables = try XlsxReader.read(url: url)
            return map(tables: &tables, file: name, minimumKnown: 2, report: &report)
        case .csv:
            var tables = [try CSVReader.read(url: url)]
            return map(tables: &tables, file: name, minimumKnown: 1, report: &report)
        case .runbook:
            let entries = try RunbookReader.read(url: url, file: name)
            report.files.append(ImportedFile(file: name, sheets: [], rowsRead: 1, entries: entries.count))
            report.rowsRead += 1
            return entries
        case nil:
            throw .unsupportedFile(name)
        }
    }

    /// The entries of `tables`, whose rows are emptied as they are mapped.
    func map(tables: inout [SheetTable], file: String, minimumKnown: Int, report: inout KnowledgeImportReport)
        -> [KnowledgeEntry]
    {
        var entries: [KnowledgeEntry] = []
        var rows = 0
        for index in tables.indices {
            let name = tables[index].name
            guard let layout = HeaderLayout.detect(in: tables[index], minimumKnown: minimumKnown) else {
                if tables[index].rows.contains(where: { !$0.isBlank }) {
                    report.skippedSheets.append(name.map { "\(file) [\($0)]" } ?? file)
                }
                continue
            }
            let result = RowMapper(file: file, sheet: name).map(&tables[index], layout: layout)
            Self.append(result.entries, to: &entries)
            rows += result.rowsRead
            report.rejectedRows += result.rejected
        }
        report.rowsRead += rows
        report.files.append(
            ImportedFile(file: file, sheets: tables.compactMap(\.name), rowsRead: rows, entries: entries.count))
        return entries
    }

    /// Appends without copying when `entries` is still empty (the usual single-file, single-sheet import):
    /// at 100,000 entries each copy is another 25 MB.
    static func append(_ more: [KnowledgeEntry], to entries: inout [KnowledgeEntry]) {
        if entries.isEmpty { entries = more } else { entries += more }
    }

    /// Knowledge files under `root`, sorted, skipping hidden files and Office lock files (`~$…`).
    static func knowledgeFiles(under root: URL) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator
        where kind(of: url) != nil && !url.lastPathComponent.hasPrefix("~$") && !url.lastPathComponent.hasPrefix(".") {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    static func relativePath(of url: URL, under root: URL) -> String {
        let rootPath = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(rootPath) else { return url.lastPathComponent }
        return String(path.dropFirst(rootPath.count).drop { $0 == "/" })
    }
}
