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
    public func write(named name: String = "knowledge_base.xlsx", in folder: URL? = nil) throws -> URL {
        let directory = try folder ?? TemporaryFolder.make()
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.runScript([rawValue, url.path])
        return url
    }

    /// A generated workbook of `rows` job rows (benchmarks and large-import tests), with inline strings as
    /// openpyxl writes them, or with `sharedStrings` in a shared strings part as Excel writes them.
    public static func large(rows: Int, at url: URL, sharedStrings: Bool = false) throws {
        try runScript([sharedStrings ? "large-shared" : "large", url.path, String(rows)])
    }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("make_xlsx_fixture.py").path
    }

    static func runScript(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError.pythonFailed(
                status: process.terminationStatus, output: String(decoding: output.suffix(2000), as: UTF8.self))
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
