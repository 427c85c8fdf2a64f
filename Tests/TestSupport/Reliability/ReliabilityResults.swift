import Foundation

/// Appends one JSON line per reliability case to the file named by `RESYNC_RELIABILITY_RESULTS`, which
/// `scripts/reliability` turns into the table of docs/RELIABILITY.md. Does nothing when the variable is unset.
public enum ReliabilityResults {
    private static let lock = NSLock()

    public static func record(suite: String, name: String, count: Int, passed: Bool, figures: String) {
        guard let path = ProcessInfo.processInfo.environment["RESYNC_RELIABILITY_RESULTS"], !path.isEmpty else {
            return
        }
        let line: [String: Any] = [
            "suite": suite, "case": name, "count": count, "passed": passed, "figures": figures,
            "mode": ReliabilityMode.current.rawValue,
        ]
        guard var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data)
    }
}
