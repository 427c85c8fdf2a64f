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
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
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

    struct Replay: Sendable, CustomTestStringConvertible {
        var name: String
        var dotEnv: String
        var status: Int32
        /// A line `config show` prints (status 0) or the configuration error it prints (status 2).
        var line: String

        var testDescription: String { name }
    }

    /// The QA pass's reproductions, through the real binary. No secret of theirs may appear in either stream.
    static let replays: [Replay] = [
        Replay(
            name: "CRLF .env",
            dotEnv: "APP_ENV=development\r\nTWS_PASSWORD=SuperSecretPW\r\nLLM_API_KEY=sk-SECRETKEY\r\n",
            status: 0, line: "TWS_PASSWORD=****"),
        Replay(
            name: "CRLF .env starting with KNOWLEDGE_BASE_PATH",
            dotEnv: "KNOWLEDGE_BASE_PATH=kb.xlsx\r\nTWS_PASSWORD=SuperSecretPW\r\nLLM_API_KEY=sk-SECRETKEY\r\n",
            status: 0, line: "KNOWLEDGE_BASE_PATH=kb.xlsx"),
        Replay(
            name: "python-dotenv quotes, comments and export",
            dotEnv: "TWS_USER=\"quoted user\"\nTWS_PASSWORD='SuperSecretPW # kept'\nHTTP_HOST=127.0.0.1 # comment\n"
                + "export MONITOR_INTERVAL_SECONDS=45\n",
            status: 0, line: "TWS_USER=quoted user"),
        Replay(
            name: "an inline comment", dotEnv: "HTTP_HOST=127.0.0.1 # trailing comment\n", status: 0,
            line: "HTTP_HOST=127.0.0.1"),
        Replay(
            name: "an export line", dotEnv: "export MONITOR_INTERVAL_SECONDS=45\r\n", status: 0,
            line: "MONITOR_INTERVAL_SECONDS=45"),
        Replay(
            name: "an unreadable line", dotEnv: "APP_ENV=development\r\nSuperSecretPW\r\n", status: 2,
            line: "configuration error: .env: line 2: expected NAME=value; start comments with #"),
        Replay(
            name: "credentials in TWS_BASE_URL",
            dotEnv: "TWS_BASE_URL='htps://ops:SuperSecretPW@hwa.example.com/twsd'\n",
            status: 2,
            line:
                "configuration error: TWS_BASE_URL: 'htps://****@hwa.example.com/twsd' is not an http(s) URL with a host"
        ),
        Replay(
            name: "an API key in LLM_ENDPOINT", dotEnv: "LLM_ENDPOINT=http://h/v1?api_key=sk-SECRETKEY\n", status: 0,
            line: "LLM_ENDPOINT=http://h/v1?api_key=****"),
        Replay(
            name: "an unroutable auditor model", dotEnv: "AUDITOR_MODEL_NAME=bogus/xyz\n", status: 2,
            line: "configuration error: AUDITOR_MODEL_NAME: needs LLM_ENDPOINT, or a provider prefix such as "
                + "openrouter/, ollama/, nvidia_nim/ (or an OpenAI gpt-… name)"),
        Replay(
            name: "production in mock mode",
            dotEnv: "APP_ENV=production\nTWS_MOCK_MODE=true\nRESYNC_ADMIN_USER=ops\n"
                + "RESYNC_ADMIN_PASSWORD_HASH=$2b$12$\(String(repeating: "a", count: 53))\n",
            status: 2,
            line: "configuration error: TWS_MOCK_MODE: the HWA simulator cannot run in production (it serves simulated "
                + "job statuses); set TWS_MOCK_MODE=false with TWS_HOST and credentials, or APP_ENV=development"),
        Replay(
            name: "Slack without a bot token", dotEnv: "SLACK_SIGNING_SECRET=SuperSecretPW\nSLACK_OPS_CHANNEL=C0OPS\n",
            status: 2,
            line: "configuration error: SLACK_BOT_TOKEN: not set; Resync posts answers and alerts through Slack's Web "
                + "API with it: copy OAuth & Permissions → Bot User OAuth Token (xoxb-…), or unset the other SLACK_* "
                + "variables"),
        Replay(
            name: "TWS_HOST and TWS_PORT are shown", dotEnv: "TWS_HOST=hwa.example.com\n", status: 0,
            line: "TWS_PORT=31116"),
    ]

    @Test(arguments: replays)
    func configShowReplaysQA(replay: Replay) async throws {
        let run = try await Self.resync(["config", "show"], dotEnv: replay.dotEnv)
        #expect(run.status == replay.status, "\(run.stderr)")
        let lines = (replay.status == 0 ? run.stdout : run.stderr).split(separator: "\n").map(String.init)
        #expect(lines.contains(replay.line), "\(lines)")
        for secret in ["SuperSecretPW", "SECRETKEY"] {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
        }
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
