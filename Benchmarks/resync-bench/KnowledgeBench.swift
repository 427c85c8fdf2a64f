import ArgumentParser
import Foundation
import Knowledge
import Logging
import ResyncCore
import Storage

/// `resync-bench kb`: imports a generated workbook of `--rows` job rows into a fresh SQLite file, then
/// measures retrieval latency over a mix of queries, and the process's resident memory.
struct KnowledgeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Knowledge base: .xlsx import time, retrieval p50/p99, resident memory.")

    @Option(help: "Rows in the generated workbook.")
    var rows = 100_000

    @Option(help: "Queries to time.")
    var queries = 5_000

    @Option(help: "Workbook generator (run with python3 from the repository root).")
    var generator = "Tests/TestSupport/Knowledge/make_xlsx_fixture.py"

    func run() async throws {
        var logger = Logger(label: "bench.kb")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "resync-bench-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = folder.appendingPathComponent("kb.xlsx")
        try generate(workbook)
        let size = (try FileManager.default.attributesOfItem(atPath: workbook.path)[.size] as? NSNumber)?.intValue ?? 0

        let database = try AppDatabase(
            location: .sqlite(path: folder.appendingPathComponent("kb.sqlite").path), logger: logger)
        try await database.migrate()
        let store = SQLKnowledgeStore(database: database, logger: logger)
        let clock = ContinuousClock()
        let first = try await importOnce(workbook, into: store, logger: logger)
        let importMemory = Self.memory()
        let reimportStart = clock.now
        let unchanged = try await reimport(workbook, into: store, logger: logger)
        let reimportTime = clock.now - reimportStart

        let mix = querySet()
        _ = try await store.search(mix[0])  // loads the per-generation cache
        var durations: [Duration] = []
        var byKind = Array(repeating: [Duration](), count: Self.queryKinds.count)
        durations.reserveCapacity(queries)
        for index in 0..<queries {
            let start = clock.now
            _ = try await store.search(mix[index % mix.count])
            let elapsed = clock.now - start
            durations.append(elapsed)
            byKind[index % mix.count % Self.queryKinds.count].append(elapsed)
        }
        durations.sort()
        let p50 = durations[durations.count / 2]
        let p99 = durations[min(durations.count - 1, durations.count * 99 / 100)]
        let memory = Self.memory()

        print("| measure | value |")
        print("|---|---|")
        print("| workbook | \(rows) rows, \(size / 1024) KiB |")
        print("| import: read .xlsx | \(Self.seconds(first.readDuration)) |")
        print("| import: write SQLite (one transaction) | \(Self.seconds(first.duration - first.readDuration)) |")
        print("| import total | \(Self.seconds(first.duration)) |")
        print("| resident memory peak during the import | \(importMemory.peak / 1024) MiB |")
        print("| re-import, unchanged (\(unchanged) unchanged) | \(Self.seconds(reimportTime)) |")
        print("| retrieval p50 (\(queries) queries, mixed) | \(Self.milliseconds(p50)) |")
        print("| retrieval p99 | \(Self.milliseconds(p99)) |")
        for (kind, var times) in zip(Self.queryKinds, byKind) where !times.isEmpty {
            times.sort()
            let p99 = times[min(times.count - 1, times.count * 99 / 100)]
            print("| … \(kind): p50 / p99 | \(Self.milliseconds(times[times.count / 2])) / \(Self.milliseconds(p99)) |")
        }
        print("| resident memory now / peak | \(memory.current / 1024) MiB / \(memory.peak / 1024) MiB |")
    }

    /// The first import, the way `resync kb import` and the watcher run it; stops the benchmark when it did
    /// not read every generated row.
    func importOnce(_ workbook: URL, into store: SQLKnowledgeStore, logger: Logger) async throws
        -> KnowledgeImportReport
    {
        let report = try await KnowledgeImporter(logger: logger).importKnowledge(from: workbook.path, into: store)
        try Self.requireComplete(report, rows: rows)
        return report
    }

    /// Imports the same workbook again the way `resync kb import` and the watcher do (which also hands the
    /// import's freed memory back to the system): every entry is unchanged.
    func reimport(_ workbook: URL, into store: SQLKnowledgeStore, logger: Logger) async throws -> Int {
        try await KnowledgeImporter(logger: logger).importKnowledge(from: workbook.path, into: store).outcome?
            .unchanged ?? 0
    }

    /// Stops the benchmark (exit status 1) when the import did not read every generated row: figures for
    /// a partial knowledge base would be meaningless.
    static func requireComplete(_ report: KnowledgeImportReport, rows: Int) throws {
        var problems = report.rejectedFiles.map { "rejected \($0)" }
        problems += report.rejectedRows.prefix(5).map(\.description)
        if report.rejectedRows.count > 5 {
            problems.append("… \(report.rejectedRows.count) rejected rows in all")
        }
        let created = report.outcome?.created ?? 0
        if problems.isEmpty, report.rowsRead != rows || report.entries != rows || created != rows {
            problems.append(
                "read \(report.rowsRead) rows and \(report.entries) entries, created \(created), expected \(rows) of each"
            )
        }
        guard !problems.isEmpty else { return }
        let message =
            "kb: the import of the generated workbook is incomplete; no figures are printed:\n  "
            + problems.joined(separator: "\n  ") + "\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode.failure
    }

    /// The kinds of `querySet`, in the order they cycle.
    static let queryKinds = [
        "job + error code", "job + question text", "job stream + error code", "text only", "unknown job + text",
    ]

    /// Exact job + error, job + text, job stream + error, free text and misses, over the generated names.
    func querySet() -> [KnowledgeQuery] {
        var generator = SystemRandomNumberGenerator()
        return (0..<500).map { index in
            let job = String(format: "JOB_%06d", Int.random(in: 0..<rows, using: &generator))
            switch index % 5 {
            case 0: return KnowledgeQuery(jobName: job, errorCodes: ["RC=\(index % 16)"])
            case 1: return KnowledgeQuery(jobName: job, text: "o job \(job) falhou na execução do lote")
            case 2: return KnowledgeQuery(jobStream: String(format: "STREAM_%03d", index % 500), errorCodes: ["RC 4"])
            case 3: return KnowledgeQuery(text: "falha faturamento reexecute entrada passo \(index % 7)")
            default: return KnowledgeQuery(jobName: "UNKNOWN_\(index)", text: "nada parecido")
            }
        }
    }

    func generate(_ url: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "large", url.path, String(rows)]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
    }

    /// VmRSS and VmHWM from /proc/self/status, in KiB (0 where /proc is not available).
    static func memory() -> (current: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0
        }
        return (value("VmRSS"), value("VmHWM"))
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", duration.inSeconds)
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f ms", duration.inMilliseconds)
    }
}
