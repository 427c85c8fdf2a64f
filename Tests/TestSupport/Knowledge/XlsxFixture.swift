import Foundation

/// Real `.xlsx` files written by an independent writer (openpyxl, or Python's zipfile for parts openpyxl
/// cannot produce), via `make_xlsx_fixture.py` next to this file.
public enum XlsxFixture: String, Sendable {
    /// Portuguese headers under a merged title row, merged "Contato" header, blank rows, a formula with
    /// its cached value, a date, rich text, numbers typed as numbers, invalid rows; a second sheet with
    /// English headers (general entries) and a third sheet without a header.
    case portuguese = "pt"
    /// English headers: wildcard patterns, folder-qualified names, job stream and workstation rows.
    case english = "en"
    /// Written part by part: 1904 dates, shared rich/phonetic strings, inline strings, booleans, prefixes.
    case handmade
    /// The handmade workbook with a worksheet that is not well-formed XML (a row closed inside a cell).
    case malformed
    /// A real workbook cut in half.
    case corrupt

    public enum FixtureError: Error, CustomStringConvertible {
        case pythonFailed(status: Int32, output: String)

        public var description: String {
            switch self {
            case .pythonFailed(let status, let output):
                "make_xlsx_fixture.py exited \(status): \(output) (scripts/install-deps installs openpyxl)"
            }
        }
    }

    /// Writes the fixture into a new temporary folder and returns its path.
    public func write(named name: String = "knowledge_base.xlsx", in folder: URL? = nil) async throws -> URL {
        let directory = try folder ?? TemporaryFolder.make()
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await Self.runScript([rawValue, url.path])
        return url
    }

    /// A generated workbook of `rows` job rows (benchmarks and large-import tests), with inline strings as
    /// openpyxl writes them, or with `sharedStrings` in a shared strings part as Excel writes them.
    public static func large(rows: Int, at url: URL, sharedStrings: Bool = false) async throws {
        try await runScript([sharedStrings ? "large-shared" : "large", url.path, String(rows)])
    }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("make_xlsx_fixture.py").path
    }

    /// Runs the generator and waits for it without holding a thread: a blocking wait here would take one of
    /// the few cooperative threads from every other test for as long as Python runs.
    static func runScript(_ arguments: [String]) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-fixture-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath] + arguments
        process.standardOutput = output
        process.standardError = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw FixtureError.pythonFailed(status: status, output: String(text.suffix(2000)))
        }
    }
}

/// A fresh folder under the system temporary directory.
public enum TemporaryFolder {
    public static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resync-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
