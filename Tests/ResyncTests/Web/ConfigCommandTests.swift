import Foundation
import TestSupport
import Testing

/// Runs the real `resync` binary in a scratch folder (so its `.env` is the one the test writes) and checks what
/// it prints: configuration errors on standard error with exit status 2, `config show` on standard output.
@Suite("resync config CLI")
struct ConfigCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `resync arguments` with only PATH and `environment` set, in a new folder holding `dotEnv` as `.env`.
    static func resync(_ arguments: [String], environment: [String: String] = [:], dotEnv: String? = nil)
        async throws -> Run
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if let dotEnv { try Data(dotEnv.utf8).write(to: folder.appendingPathComponent(".env")) }
        let process = Process()
        process.executableURL = RepositoryPaths.resyncExecutable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            .merging(environment) { $1 }
        // Output goes to files, not pipes: draining pipes would block threads of the cooperative pool that the
        // wait below needs.
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            Issue.record("resync \(arguments.joined(separator: " ")) did not exit within 30 s")
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }

    @Test func aBadLogLevelIsAConfigurationError() async throws {
        let run = try await Self.resync(["config", "show"], environment: ["LOG_LEVEL": "verbose"])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "configuration error: LOG_LEVEL: 'verbose' is not a log level; use trace, debug, info, notice, "
                + "warning, error or critical\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func logLevelIsReadFromDotEnvAndTheEnvironmentWins() async throws {
        let fromFile = try await Self.resync(["config", "show"], dotEnv: "LOG_LEVEL=debug\r\n")
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout.split(separator: "\n").contains("LOG_LEVEL=debug"))
        let overridden = try await Self.resync(
            ["config", "show"], environment: ["LOG_LEVEL": "error"], dotEnv: "LOG_LEVEL=verbose\n")
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(overridden.stdout.split(separator: "\n").contains("LOG_LEVEL=error"))
    }

    @Test func mockHWARefusesABadLogLevelToo() async throws {
        let scenario = RepositoryPaths.root.appendingPathComponent("Config/mock_tws_data.json").path
        let run = try await Self.resync(
            ["mock-hwa", "--port", "0", "--scenario", scenario], dotEnv: "LOG_LEVEL=verbose\n")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("configuration error: LOG_LEVEL: 'verbose' is not a log level"))
    }
}
