import ArgumentParser
import Foundation
import Knowledge
import Logging
import Prometheus
import ResyncCore
import Storage
import Web

struct KnowledgeBase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Import and search the knowledge base.",
        subcommands: [Import.self, Search.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a .xlsx, .csv or folder of spreadsheets and runbooks into DATABASE_URL.",
            discussion: "Prints the import report. Exits 1 when a file cannot be read; the previous KB stays.")

        @Argument(help: "Path of the spreadsheet, CSV file or folder.")
        var path: String

        func run() async throws {
            let path = path
            try await KnowledgeBase.withStore { store, logger in
                do {
                    let report = try await KnowledgeImporter(logger: logger).importKnowledge(from: path, into: store)
                    report.lines.forEach { print($0) }
                } catch KnowledgeImportError.pathNotFound(let missing) {
                    // The path came from the command line: pointing at KNOWLEDGE_BASE_PATH would mislead.
                    FileHandle.standardError.write(
                        Data("resync kb import: '\(missing)' does not exist; give a .xlsx, .csv or folder\n".utf8))
                    throw ExitCode(1)
                } catch let error as KnowledgeImportError {
                    FileHandle.standardError.write(Data("resync kb import: \(error)\n".utf8))
                    throw ExitCode(1)
                }
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the knowledge base: a job name, an error code (rc 12, S0C4) or any words.")

        @Argument(help: "Text, job name or error code to look for.")
        var text: String

        @Option(help: "How many results to show.")
        var limit = 5

        func run() async throws {
            let text = text
            let limit = limit
            try await KnowledgeBase.withStore { store, _ in
                let matches = try await store.search(KnowledgeQueryParser.query(from: text, limit: limit))
                if matches.isEmpty { print("no knowledge entry matches '\(text)'") }
                for (rank, match) in matches.enumerated() {
                    print(KnowledgeBase.render(match, rank: rank + 1))
                }
            }
        }
    }

    static func render(_ match: KnowledgeMatch, rank: Int) -> String {
        let entry = match.entry
        var lines = [
            "\(rank). \(entry.title)  [score \(match.score); \(match.reasons.map(\.description).joined(separator: ", "))]"
        ]
        let fields: [(String, String?)] = [
            ("job", entry.jobPattern), ("job stream", entry.jobStream), ("workstation", entry.workstation),
            ("errors", entry.errorCodes.isEmpty ? nil : entry.errorCodes.joined(separator: ", ")),
            ("description", entry.description), ("procedure", entry.procedure), ("owner", entry.owner),
            ("contact", entry.contact), ("links", entry.links.isEmpty ? nil : entry.links.joined(separator: " ")),
            ("severity", entry.severity),
        ]
        for (name, value) in fields {
            guard let value else { continue }
            lines.append("   \(name): " + value.replacingOccurrences(of: "\n", with: "\n      "))
        }
        lines += entry.extra.map { "   \($0.name): \($0.value)" }
        let row = entry.source.row.map { " row \($0)" } ?? ""
        lines.append("   source: \(entry.source.file)\(entry.source.sheet.map { " [\($0)]" } ?? "")\(row)")
        return lines.joined(separator: "\n")
    }

    /// Opens DATABASE_URL (running its pool while `body` runs), migrates, and hands over the store.
    static func withStore(_ body: @Sendable (SQLKnowledgeStore, Logger) async throws -> Void) async throws {
        try await withOpenDatabase(label: "resync.kb") { config, database, logger in
            try await body(KnowledgeWiring.knowledgeStore(config: config, database: database, logger: logger), logger)
        }
    }
}
