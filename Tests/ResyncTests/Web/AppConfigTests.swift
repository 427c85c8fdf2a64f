import Agent
import Foundation
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("AppConfig")
struct AppConfigTests {
    /// A production configuration that passes every rule; each test breaks one thing.
    static let validProduction: [String: String] = [
        "APP_ENV": "production",
        "TWS_MOCK_MODE": "false",
        "TWS_HOST": "hwa-master.example.com",
        "TWS_USER": "resync_ro",
        "TWS_PASSWORD": "canary-tws-password",
        "RESYNC_ADMIN_USER": "ops",
        "RESYNC_ADMIN_PASSWORD_HASH": "$2b$12$" + String(repeating: "a", count: 53),
        "DATABASE_URL": "postgres://resync:canary-db-password@db:5432/resync",
    ]

    @Test func defaultsInDevelopment() throws {
        let config = try AppConfig.load(environment: [:])
        #expect(config.environment == .development)
        #expect(config.hwa.mockMode)
        #expect(config.http.host == "0.0.0.0")
        #expect(config.http.port == 8000)
        #expect(config.database == .sqlite(path: "./data/resync.sqlite"))
        #expect(config.knowledgeBasePath == "Config/knowledge_base.xlsx")
        #expect(config.hwa.mockDataPath == "Config/mock_tws_data.json")
        #expect(config.language == .portuguese)
        #expect(config.monitorInterval == .seconds(30))
        #expect(config.hwa.verifyTLS)
        #expect(config.slack == nil && config.teams == nil && config.mattermost == nil)
        #expect(config.llm.agentModel == nil)
    }

    @Test func originalPythonNamesBuildTheHWAURL() throws {
        let config = try AppConfig.load(environment: Self.validProduction.merging(["TWS_PORT": "9443"]) { $1 })
        #expect(config.environment == .production)
        #expect(!config.hwa.mockMode)
        #expect(config.hwa.baseURL == "https://hwa-master.example.com:9443/twsd")
        #expect(config.hwa.user == "resync_ro")
        #expect(config.hwa.password?.value == "canary-tws-password")
    }

    @Test func defaultPortIs31116() throws {
        let config = try AppConfig.load(environment: Self.validProduction)
        #expect(config.hwa.baseURL == "https://hwa-master.example.com:31116/twsd")
    }

    @Test func baseURLOverridesHostAndPort() throws {
        let config = try AppConfig.load(
            environment: Self.validProduction.merging(["TWS_BASE_URL": "http://127.0.0.1:9443/twsd/"]) { $1 })
        #expect(config.hwa.baseURL == "http://127.0.0.1:9443/twsd")
    }

    @Test func apiKeyReplacesUserAndPassword() throws {
        var environment = Self.validProduction
        environment["TWS_USER"] = nil
        environment["TWS_PASSWORD"] = nil
        environment["TWS_API_KEY"] = "canary-api-key"
        let config = try AppConfig.load(environment: environment)
        #expect(config.hwa.apiKey?.value == "canary-api-key")
    }

    struct Rule: Sendable, CustomTestStringConvertible {
        var name: String
        var change: [String: String?]
        var variable: String
        var fragment: String

        var testDescription: String { name }
    }

    static let rules: [Rule] = [
        Rule(
            name: "bad HTTP port", change: ["HTTP_PORT": "80000"], variable: "HTTP_PORT",
            fragment: "between 0 and 65535"),
        Rule(name: "non-numeric TWS port", change: ["TWS_PORT": "abc"], variable: "TWS_PORT", fragment: "whole number"),
        Rule(
            name: "bad TWS base URL", change: ["TWS_BASE_URL": "ftp:/nowhere"], variable: "TWS_BASE_URL",
            fragment: "http(s) URL"),
        Rule(
            name: "unknown APP_ENV", change: ["APP_ENV": "staging"], variable: "APP_ENV",
            fragment: "development' or 'production"),
        Rule(
            name: "TLS off in production", change: ["TWS_VERIFY_TLS": "false"], variable: "TWS_VERIFY_TLS",
            fragment: "production"),
        Rule(
            name: "mock mode in production", change: ["TWS_MOCK_MODE": "true"], variable: "TWS_MOCK_MODE",
            fragment: "cannot run in production"),
        Rule(
            name: "not a boolean", change: ["TWS_MOCK_MODE": "maybe"], variable: "TWS_MOCK_MODE",
            fragment: "not a boolean"),
        Rule(
            name: "production without admin user", change: ["RESYNC_ADMIN_USER": nil], variable: "RESYNC_ADMIN_USER",
            fragment: "required in production"),
        Rule(
            name: "production without admin hash", change: ["RESYNC_ADMIN_PASSWORD_HASH": nil],
            variable: "RESYNC_ADMIN_PASSWORD_HASH", fragment: "required in production"),
        Rule(
            name: "admin hash not bcrypt", change: ["RESYNC_ADMIN_PASSWORD_HASH": "plaintext"],
            variable: "RESYNC_ADMIN_PASSWORD_HASH", fragment: "bcrypt"),
        Rule(
            name: "no HWA host outside mock mode", change: ["TWS_HOST": nil], variable: "TWS_HOST", fragment: "not set"),
        Rule(
            name: "no HWA credentials", change: ["TWS_USER": nil, "TWS_PASSWORD": nil], variable: "TWS_USER",
            fragment: "credentials missing"),
        Rule(
            name: "user without password", change: ["TWS_PASSWORD": nil], variable: "TWS_PASSWORD",
            fragment: "TWS_USER is set"),
        Rule(
            name: "missing CA file", change: ["TWS_CA_FILE": "/nonexistent/ca.pem"], variable: "TWS_CA_FILE",
            fragment: "does not exist"),
        Rule(
            name: "bad DATABASE_URL", change: ["DATABASE_URL": "mysql://root:canary-db-password@h/db"],
            variable: "DATABASE_URL", fragment: "unsupported scheme"),
        Rule(name: "bad language", change: ["RESYNC_LANGUAGE": "fr"], variable: "RESYNC_LANGUAGE", fragment: "pt-BR"),
        Rule(
            name: "bad LLM endpoint", change: ["LLM_ENDPOINT": "localhost:11434"], variable: "LLM_ENDPOINT",
            fragment: "http(s) URL"),
        Rule(
            name: "agent model without an endpoint", change: ["AGENT_MODEL_NAME": "bogus/xyz"],
            variable: "AGENT_MODEL_NAME", fragment: "needs LLM_ENDPOINT"),
        Rule(
            name: "auditor model without an endpoint", change: ["AUDITOR_MODEL_NAME": "bogus/xyz"],
            variable: "AUDITOR_MODEL_NAME", fragment: "needs LLM_ENDPOINT"),
        Rule(
            name: "bad log level", change: ["LOG_LEVEL": "verbose"], variable: "LOG_LEVEL",
            fragment: "'verbose' is not a log level; use trace, debug, info"),
        Rule(
            name: "monitor interval too small", change: ["MONITOR_INTERVAL_SECONDS": "1"],
            variable: "MONITOR_INTERVAL_SECONDS", fragment: "between 5 and 86400"),
        Rule(
            name: "Slack without signing secret", change: ["SLACK_BOT_TOKEN": "xoxb-canary-slack-token"],
            variable: "SLACK_SIGNING_SECRET", fragment: "not set"),
        Rule(
            name: "Slack ops channel without a bot token",
            change: ["SLACK_SIGNING_SECRET": "canary-signing", "SLACK_OPS_CHANNEL": "C0OPS"],
            variable: "SLACK_BOT_TOKEN", fragment: "Bot User OAuth Token"),
        Rule(
            name: "Slack signing secret alone", change: ["SLACK_SIGNING_SECRET": "canary-signing"],
            variable: "SLACK_BOT_TOKEN", fragment: "not set"),
        Rule(
            name: "Slack API base not a URL",
            change: ["SLACK_SIGNING_SECRET": "canary-signing", "SLACK_API_BASE_URL": "slack"],
            variable: "SLACK_API_BASE_URL", fragment: "http(s) URL"),
        Rule(
            name: "Teams secret not base64", change: ["TEAMS_OUTGOING_WEBHOOK_SECRET": "not base64!!"],
            variable: "TEAMS_OUTGOING_WEBHOOK_SECRET", fragment: "base64"),
        Rule(
            name: "Teams workflow not a URL", change: ["TEAMS_WORKFLOW_URL": "canary-workflow"],
            variable: "TEAMS_WORKFLOW_URL", fragment: "http(s) URL"),
        Rule(
            name: "Mattermost token without URL", change: ["MATTERMOST_BOT_TOKEN": "canary-mm-token"],
            variable: "MATTERMOST_URL", fragment: "not set"),
        Rule(
            name: "Mattermost without a bot token",
            change: ["MATTERMOST_URL": "http://127.0.0.1:1", "MATTERMOST_SLASH_TOKEN": "canary-slash"],
            variable: "MATTERMOST_BOT_TOKEN", fragment: "Bot Accounts"),
    ]

    @Test(arguments: rules)
    func eachRuleGivesOneLineNamingTheVariable(rule: Rule) throws {
        var environment = Self.validProduction
        for (key, value) in rule.change { environment[key] = value }
        let error = try #require(throws: ConfigError.self) { try AppConfig.load(environment: environment) }
        #expect(error.problems.map(\.variable).contains(rule.variable), "problems: \(error.problems)")
        let line = try #require(error.description.split(separator: "\n").first { $0.contains(rule.variable + ":") })
        #expect(line.contains(rule.fragment), "line: \(line)")
        #expect(!error.description.contains("canary"), "an error message leaked a secret: \(error)")
    }

    struct Echo: Sendable, CustomTestStringConvertible {
        var name: String
        var variable: String
        var value: String
        var shows: [String]
        var hides: [String]

        var testDescription: String { name }
    }

    /// Errors that quote a refused value quote a bounded, visible, credential-free piece of it.
    static let echoes: [Echo] = [
        Echo(
            name: "the rest of a misread file", variable: "APP_ENV",
            value: "development\r\nTWS_PASSWORD=canary-pw\r\nLLM_API_KEY=sk-canary-key",
            shows: [#"'development\r…' ("#, "characters)"], hides: ["canary", "TWS_PASSWORD"]),
        Echo(
            name: "a password pair", variable: "TWS_MOCK_MODE", value: "password=canary-pw",
            shows: ["'password=****'"], hides: ["canary"]),
        Echo(
            name: "a token by its shape", variable: "HTTP_PORT", value: "sk-canary0123456789abcdef",
            shows: ["'****'"], hides: ["canary"]),
        Echo(
            name: "a long value", variable: "HTTP_PORT", value: String(repeating: "9", count: 500),
            shows: ["'" + String(repeating: "9", count: 40) + "…' (500 characters)"],
            hides: [String(repeating: "9", count: 41)]),
        Echo(
            name: "control and bidi characters", variable: "APP_ENV", value: "en\u{1B}[2J\u{202E}x",
            shows: [#"'en\u{1B}[2J\u{202E}x'"#], hides: ["\u{1B}", "\u{202E}"]),
        Echo(name: "a tab", variable: "TWS_VERIFY_TLS", value: "tr\tue", shows: [#"'tr\tue'"#], hides: ["\t"]),
    ]

    @Test(arguments: echoes)
    func refusedValuesAreQuotedSafely(echo: Echo) throws {
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.load(environment: [echo.variable: echo.value])
        }
        let line = try #require(error.description.split(separator: "\n").first { $0.contains(echo.variable + ":") })
        for shown in echo.shows { #expect(line.contains(shown), "\(line)") }
        for hidden in echo.hides { #expect(!error.description.contains(hidden), "\(error)") }
        #expect(!error.description.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\u{1B}" })
        #expect(line.count < 160)
    }

    @Test func secretVariablesAreNeverQuoted() {
        for name in AppConfig.secretVariableNames {
            #expect(ConfigProblem.quote("canary-secret", of: name) == "the value")
        }
        #expect(ConfigProblem.quote("staging", of: "APP_ENV") == "'staging'")
    }

    @Test func anUnroutableAuditorModelNamesOnlyItsOwnVariable() throws {
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.load(environment: ["AGENT_MODEL_NAME": "gpt-4o-mini", "AUDITOR_MODEL_NAME": "bogus/xyz"])
        }
        #expect(error.problems.map(\.variable) == ["AUDITOR_MODEL_NAME"])
        #expect(!error.description.contains("AGENT_MODEL_NAME"))
    }

    @Test func modelNamesRouteWithAnEndpointOrAProviderPrefix() throws {
        let config = try AppConfig.load(environment: [
            "AGENT_MODEL_NAME": "llama3", "AUDITOR_MODEL_NAME": "bogus/xyz",
            "LLM_ENDPOINT": "http://127.0.0.1:11434/v1",
        ])
        #expect(config.llm.auditorModel == "bogus/xyz")
        #expect(try AppConfig.load(environment: ["AUDITOR_MODEL_NAME": "ollama/llama3.1"]).llm.auditorModel != nil)
    }

    @Test func aBadEndpointIsReportedOnceNotAsTheModelsFault() throws {
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.load(environment: ["AGENT_MODEL_NAME": "llama3", "LLM_ENDPOINT": "localhost:11434"])
        }
        #expect(error.problems.map(\.variable) == ["LLM_ENDPOINT"])
    }

    @Test func aBadDatabaseURLDoesNotHideTheVariablesReadAfterIt() throws {
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.load(environment: ["DATABASE_URL": "mysql://h/db", "LOG_LEVEL": "verbose"])
        }
        #expect(error.problems.map(\.variable) == ["DATABASE_URL", "LOG_LEVEL"])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.load(environment: ["HTTP_PORT": "x", "TWS_PORT": "-1", "RESYNC_LANGUAGE": "de"])
        }
        #expect(error.problems.count == 3)
        #expect(error.description.split(separator: "\n").count == 3)
    }

    @Test func redactedRenderingHidesEverySecret() throws {
        var environment = Self.validProduction
        environment.merge([
            "TWS_API_KEY": "canary-api-key", "LLM_API_KEY": "canary-llm-key",
            "SLACK_SIGNING_SECRET": "canary-signing", "SLACK_BOT_TOKEN": "xoxb-canary",
            "TEAMS_OUTGOING_WEBHOOK_SECRET": Data("canary-teams".utf8).base64EncodedString(),
            "TEAMS_WORKFLOW_URL": "https://prod.example.com/workflows/canary-sig",
            "MATTERMOST_URL": "https://mm.example.com", "MATTERMOST_BOT_TOKEN": "canary-mm",
            "MATTERMOST_SLASH_TOKEN": "canary-slash", "MATTERMOST_OUTGOING_TOKEN": "canary-out",
        ]) { $1 }
        let config = try AppConfig.load(environment: environment)
        let rendered = config.redactedLines.joined(separator: "\n")
        #expect(!rendered.contains("canary"), "\(rendered)")
        #expect(!rendered.contains(Data("canary-teams".utf8).base64EncodedString()))
        #expect(rendered.contains("TWS_PASSWORD=****"))
        #expect(rendered.contains("DATABASE_URL=postgres://resync:****@db:5432/resync"))
        // Interpolating or dumping the secrets also masks them.
        let interpolated = "\(config.hwa.password as Any)"
        let reflected = String(reflecting: config.slack?.botToken as Any)
        #expect(!interpolated.contains("canary"))
        #expect(!reflected.contains("canary"))
    }

    @Test(
        arguments: [
            ("TWS_BASE_URL", "htps://ops:canary-pw@hwa.example.com/twsd", "'htps://****@hwa.example.com/twsd'"),
            ("LLM_ENDPOINT", "ftp://llm.example.com/v1?api_key=canary-key", "'ftp://llm.example.com/v1?api_key=****'"),
            ("SLACK_API_BASE_URL", "slack://bot:canary-pw@slack.example.com", "'slack://****@slack.example.com'"),
            ("MATTERMOST_URL", "mm.example.com?token=canary-token", "'mm.example.com?token=****'"),
        ])
    func urlErrorsNeverQuoteCredentials(variable: String, value: String, shown: String) throws {
        var environment = Self.validProduction
        environment[variable] = value
        environment["SLACK_SIGNING_SECRET"] = "s"
        let error = try #require(throws: ConfigError.self) { try AppConfig.load(environment: environment) }
        let line = try #require(error.description.split(separator: "\n").first { $0.contains(variable + ":") })
        #expect(line.contains(shown), "\(line)")
        #expect(!error.description.contains("canary"), "\(error)")
    }

    @Test func configShowMasksCredentialsInURLs() throws {
        var environment = Self.validProduction
        environment.merge([
            "TWS_BASE_URL": "https://ops:canary-pw@hwa.example.com:9443/twsd",
            "LLM_ENDPOINT": "http://llm.example.com/v1?api_key=canary-key",
            "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "t",
            "SLACK_API_BASE_URL": "https://proxy:canary-pw@slack-proxy.example.com/api",
            "MATTERMOST_URL": "https://canary-token@mm.example.com", "MATTERMOST_BOT_TOKEN": "t",
        ]) { $1 }
        let lines = try AppConfig.load(environment: environment).redactedLines
        #expect(!lines.joined(separator: "\n").contains("canary"), "\(lines)")
        #expect(lines.contains("TWS_BASE_URL=https://****@hwa.example.com:9443/twsd"))
        #expect(lines.contains("LLM_ENDPOINT=http://llm.example.com/v1?api_key=****"))
        #expect(lines.contains("SLACK_API_BASE_URL=https://****@slack-proxy.example.com/api"))
        #expect(lines.contains("MATTERMOST_URL=https://****@mm.example.com"))
    }

    /// Writes `text` as a `.env` file in a fresh folder and returns its path.
    static func dotEnv(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(".env").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func dotEnvFileIsRead() async throws {
        let path = try Self.dotEnv("RESYNC_LANGUAGE=en\nMONITOR_INTERVAL_SECONDS=45\n")
        let config = try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        #expect(config.language == .english)
        #expect(config.monitorInterval == .seconds(45))
    }

    @Test func theEnvironmentWinsOverTheDotEnvFile() async throws {
        let path = try Self.dotEnv("RESYNC_LANGUAGE=en\nMONITOR_INTERVAL_SECONDS=45\n")
        let config = try await AppConfig.fromEnvironment(
            dotEnvPath: path, processEnvironment: ["MONITOR_INTERVAL_SECONDS": "60"])
        #expect(config.language == .english)
        #expect(config.monitorInterval == .seconds(60))
    }

    @Test func logLevelIsPartOfTheConfiguration() async throws {
        #expect(try AppConfig.load(environment: [:]).logLevel == nil)
        #expect(try AppConfig.load(environment: ["LOG_LEVEL": "Debug"]).logLevel == .debug)
        let path = try Self.dotEnv("LOG_LEVEL=warning\r\n")
        #expect(try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:]).logLevel == .warning)
        let overridden = try await AppConfig.fromEnvironment(
            dotEnvPath: path, processEnvironment: ["LOG_LEVEL": "error"])
        #expect(overridden.logLevel == .error)
        #expect(try AppConfig.logLevelFromEnvironment(dotEnvPath: path, processEnvironment: [:]) == .warning)
        let error = try #require(throws: ConfigError.self) {
            try AppConfig.logLevelFromEnvironment(dotEnvPath: path, processEnvironment: ["LOG_LEVEL": "verbose"])
        }
        #expect(error.problems.map(\.variable) == ["LOG_LEVEL"])
    }

    @Test func aMissingDotEnvFileIsNoProblem() async throws {
        let config = try await AppConfig.fromEnvironment(
            dotEnvPath: "/nonexistent/resync/.env", processEnvironment: ["RESYNC_LANGUAGE": "en"])
        #expect(config.language == .english)
    }

    @Test(arguments: [
        ("0.0.0.0", true), ("::", true), ("127.0.0.1", true), ("localhost", true), ("resync_web", true),
        ("app-1.internal.example.com", true), ("not a host!!", false), ("127.0.0.1 # comment", false),
        ("-leading.example.com", false), ("a..b", false),
    ])
    func listenAddressesAreAddressesOrHostNames(host: String, accepted: Bool) throws {
        let result = Result { try AppConfig.load(environment: ["HTTP_HOST": host]) }
        #expect((try? result.get().http.host) == (accepted ? host : nil))
    }

    @Test func theAnswersTimeZoneIsConfigurableAndReachesTheAgent() throws {
        let config = try AppConfig.load(environment: ["RESYNC_TIME_ZONE": "America/Sao_Paulo"])
        #expect(config.timeZone.identifier == "America/Sao_Paulo")
        #expect(AgentWiring.configuration(config).timeZone.identifier == "America/Sao_Paulo")
        #expect(config.redactedLines.contains("RESYNC_TIME_ZONE=America/Sao_Paulo"))
        #expect(try AppConfig.load(environment: [:]).timeZone == .current)
        #expect {
            _ = try AppConfig.load(environment: ["RESYNC_TIME_ZONE": "Brasilia"])
        } throws: { error in
            "\(error)"
                == "configuration error: RESYNC_TIME_ZONE: 'Brasilia' is not an IANA time zone name; use e.g. "
                + "America/Sao_Paulo or UTC"
        }
    }

    static let sampleKnowledgeBase = RepositoryPaths.root.appendingPathComponent("Config/knowledge_base.xlsx").path

    /// A file saved on Windows used to read as one variable holding the whole file, which the APP_ENV error
    /// then echoed, secrets included.
    @Test func aDotEnvFileWithCRLFLineEndingsReadsEveryVariable() async throws {
        let path = try Self.dotEnv(
            "APP_ENV=development\r\nTWS_PASSWORD=canary-tws-password\r\nLLM_API_KEY=sk-canary-key\r\n"
                + "TWS_USER=resync_ro\r\nKNOWLEDGE_BASE_PATH=\(Self.sampleKnowledgeBase)\r\n")
        let config = try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        #expect(config.environment == .development)
        #expect(config.knowledgeBasePath == Self.sampleKnowledgeBase)
        #expect(config.hwa.user == "resync_ro")
        #expect(config.hwa.password?.value == "canary-tws-password")
        #expect(config.llm.apiKey?.value == "sk-canary-key")
        #expect(!config.redactedLines.joined(separator: "\n").contains("canary"))
    }

    /// python-dotenv syntax, which the original product's files use: quotes, inline comments, `export`.
    @Test func dotEnvQuotesCommentsAndExportAreUnderstood() async throws {
        let path = try Self.dotEnv(
            """
            export MONITOR_INTERVAL_SECONDS=45
            TWS_USER="quoted user"
            TWS_PASSWORD='p#ss "word"'
            HTTP_HOST=127.0.0.1 # trailing comment

            """)
        let config = try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        #expect(config.monitorInterval == .seconds(45))
        #expect(config.hwa.user == "quoted user")
        #expect(config.hwa.password?.value == #"p#ss "word""#)
        #expect(config.http.host == "127.0.0.1")
    }

    @Test func aBadDotEnvLineNamesTheFileAndLineButNotItsContent() async throws {
        let path = try Self.dotEnv("APP_ENV=development\r\n# note\r\ncanary-tws-password\r\nB=\"canary-unclosed\r\n")
        let error = try await #require(throws: ConfigError.self) {
            try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        }
        #expect(
            error.description.split(separator: "\n") == [
                "configuration error: \(path): line 3: expected NAME=value; start comments with #",
                "configuration error: \(path): line 4: the quoted value is never closed; add the closing quote or escape it with \\",
            ])
        #expect(!error.description.contains("canary"))
    }

    @Test func aDotEnvFileThatIsNotUTF8IsNamed() async throws {
        let path = try Self.dotEnv("")
        try Data([0x41, 0x3D, 0xE7, 0x0A]).write(to: URL(fileURLWithPath: path))
        let error = try await #require(throws: ConfigError.self) {
            try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        }
        #expect(error.description == "configuration error: \(path): is not UTF-8 text; save it as UTF-8")
    }
}

@Suite("Config/resync.env.example")
struct EnvExampleTests {
    /// `config show` claims to list every variable read; TWS_HOST, TWS_PORT and LOG_LEVEL were missing.
    @Test func configShowListsEveryVariableTheLoaderReads() throws {
        #expect(Set(AppConfig.variableNames) == Set(AppConfig.variablesRead))
        #expect(AppConfig.variableNames.count == Set(AppConfig.variableNames).count)
        let lines = try AppConfig.load(environment: ["TWS_HOST": "hwa.example.com", "TWS_PORT": "9443"]).redactedLines
        #expect(lines.contains("TWS_HOST=hwa.example.com") && lines.contains("TWS_PORT=9443"))
    }

    @Test func exampleLoadsAsADotEnvFileAndNamesEveryVariable() async throws {
        let path = RepositoryPaths.root.appendingPathComponent("Config/resync.env.example").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for name in AppConfig.variableNames {
            #expect(text.contains("\n\(name)="), "\(name) is not documented in resync.env.example")
        }
        let config = try await AppConfig.fromEnvironment(dotEnvPath: path, processEnvironment: [:])
        #expect(config.hwa.mockMode)
        #expect(config.http.port == 8000)
    }
}
