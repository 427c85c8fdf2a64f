import Foundation

/// The built `resync serve` as a child process on a loopback port, its output captured to a file.
public final class ResyncProcess: @unchecked Sendable {
    // Process is not Sendable; this wrapper is only touched by one test at a time.
    public let process: Process
    public let port: Int
    public let logURL: URL

    /// Starts `resync serve` with `environment` (plus PATH, HTTP_HOST and HTTP_PORT) in `directory`.
    public init(environment: [String: String], logURL: URL, directory: URL = RepositoryPaths.root) throws {
        port = try freeLoopbackPort()
        self.logURL = logURL
        process = Process()
        process.executableURL = RepositoryPaths.resyncExecutable
        process.arguments = ["serve"]
        process.currentDirectoryURL = directory
        var variables = environment
        variables["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        variables["HTTP_HOST"] = "127.0.0.1"
        variables["HTTP_PORT"] = "\(port)"
        process.environment = variables
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        _ = try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var isRunning: Bool { process.isRunning }

    /// Resident set size from /proc, in KiB (nil once the process is gone).
    public var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }

    /// SIGKILL: no graceful shutdown, no flush. Returns once the process is gone.
    public func killHard() async throws {
        kill(process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// SIGTERM and wait for the exit.
    public func stop() async throws {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { try await killHard() }
    }

    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
}
