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
            dotEnv:
                "KNOWLEDGE_BASE_PATH=\(sampleKnowledgeBase)\r\nTWS_PASSWORD=SuperSecretPW\r\nLLM_API_KEY=sk-SECRETKEY\r\n",
            status: 0, line: "KNOWLEDGE_BASE_PATH=\(sampleKnowledgeBase)"),
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
        // Values that used to pass `config show` and fail later in `serve`, without naming the variable.
        Replay(
            name: "a listen address that is not one", dotEnv: "HTTP_HOST='not a host!!'\n", status: 2,
            line: "configuration error: HTTP_HOST: 'not a host!!' is not an IP address or a host name; use e.g. "
                + "0.0.0.0 or 127.0.0.1"),
        Replay(
            name: "a CA file with no certificate", dotEnv: "TWS_CA_FILE=/etc/passwd\n", status: 2,
            line: "configuration error: TWS_CA_FILE: '/etc/passwd' holds no PEM certificate ('-----BEGIN "
                + "CERTIFICATE-----'); give the CA certificate of the HWA master in PEM form (convert a .der or .cer "
                + "with `openssl x509 -inform der`)"),
        Replay(
            name: "a missing simulator scenario", dotEnv: "TWS_MOCK_DATA=/nonexistent/scenario.json\n", status: 2,
            line: "configuration error: TWS_MOCK_DATA: the simulator scenario '/nonexistent/scenario.json' does not "
                + "exist; check the path"),
        Replay(
            name: "a missing knowledge base", dotEnv: "KNOWLEDGE_BASE_PATH=/nonexistent/kb.xlsx\n", status: 2,
            line: "configuration error: KNOWLEDGE_BASE_PATH: the knowledge base '/nonexistent/kb.xlsx' does not "
                + "exist; check the path"),
        Replay(
            name: "plain http to HWA in production",
            dotEnv: "APP_ENV=production\nTWS_MOCK_MODE=false\nTWS_BASE_URL=http://hwa.example.com:9443/twsd\n"
                + "TWS_USER=ops\nTWS_PASSWORD=SuperSecretPW\nRESYNC_ADMIN_USER=ops\n"
                + "RESYNC_ADMIN_PASSWORD_HASH=$2b$12$\(String(repeating: "a", count: 53))\n",
            status: 2,
            line: "configuration error: TWS_BASE_URL: plain http to hwa.example.com would send the HWA credentials "
                + "unencrypted, which production refuses; use https (TWS_CA_FILE for a private CA)"),
    ]

    static let sampleKnowledgeBase = RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx").path

    @Test func serveNamesAPortInUseAndStopsBeforeStartingAnything() async throws {
        let taken = try ListeningSocket()
        let run = try await Self.resync(
            ["serve"],
            environment: [
                "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "\(taken.port)", "TWS_MOCK_MODE": "true",
                "DATABASE_URL": "sqlite::memory:",
            ])
        // The port must stay taken until serve has run (ARC could otherwise close it after its last use).
        withExtendedLifetime(taken) {}
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "configuration error: HTTP_PORT: port \(taken.port) on 127.0.0.1 is already in use by another "
                + "process; stop it or choose another HTTP_PORT\n")
        // Nothing ran: no simulator, no import, no development password banner.
        #expect(run.stdout.isEmpty)
    }

    /// The alert rules are read after the HTTP clients exist; the error must still reach the operator. A client
    /// released without shutdown stopped debug builds with AsyncHTTPClient's "Client not shut down" instead.
    @Test func serveWithUnreadableAlertRulesSaysSoInsteadOfCrashing() async throws {
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
        try Data("{not json".utf8).write(to: rules)
        defer { try? FileManager.default.removeItem(at: rules) }
        let run = try await Self.resync(
            ["serve"],
            environment: [
                "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "TWS_MOCK_MODE": "true", "DATABASE_URL": "sqlite::memory:",
                "TWS_MOCK_DATA": RepositoryPaths.root.appendingPathComponent("Config/mock_tws_data.json").path,
                "KNOWLEDGE_BASE_PATH": Self.sampleKnowledgeBase, "SLACK_SIGNING_SECRET": "a-signing-secret",
                "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_OPS_CHANNEL": "C0OPS", "MONITOR_RULES_PATH": rules.path,
            ])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("Error: alert rules file \(rules.path): invalid JSON"), "\(run.stderr)")
        #expect(!run.stderr.contains("not shut down"))
    }

    @Test func kbImportOfAMissingPathNamesThePathGiven() async throws {
        let run = try await Self.resync(
            ["kb", "import", "/nonexistent/kb.xlsx"], environment: ["DATABASE_URL": "sqlite::memory:"])
        #expect(run.status == 1)
        #expect(run.stderr == "resync kb import: '/nonexistent/kb.xlsx' does not exist; give a .xlsx, .csv or folder\n")
    }

    @Test func askWithoutAServerURLSchemeSaysHowToWriteIt() async throws {
        let run = try await Self.resync(["ask", "--server", "localhost:18212", "status PAYROLL_FINAL"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--server must be a URL such as http://localhost:18212"))
    }

    @Test func serveNamesAnAddressThisMachineDoesNotHave() async throws {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to an interface.
        let run = try await Self.resync(
            ["serve"],
            environment: [
                "HTTP_HOST": "192.0.2.7", "HTTP_PORT": "18080", "TWS_MOCK_MODE": "true",
                "DATABASE_URL": "sqlite::memory:",
            ])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "configuration error: HTTP_HOST: 192.0.2.7 is not an address of this machine; use 0.0.0.0 (every "
                + "interface) or one of its addresses\n")
    }

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

/// A TCP socket listening on a free loopback port, closed on deinit.
final class ListeningSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        // Close-on-exec: the `resync` processes other tests start must not inherit a socket nobody accepts on.
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = descriptor
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
