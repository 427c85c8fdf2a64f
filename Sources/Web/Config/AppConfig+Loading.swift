import Configuration
import Foundation
import LLM
import Logging
import ResyncCore
import Storage

extension AppConfig {
    /// Reads the process environment, with a `.env` file (if present) underneath it: a variable set in the
    /// environment wins over the same name in the file. `processEnvironment` is for tests.
    public static func fromEnvironment(
        dotEnvPath: String = ".env", processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> AppConfig {
        try load(from: try reader(dotEnvPath: dotEnvPath, processEnvironment: processEnvironment))
    }

    /// `LOG_LEVEL` alone, read as `fromEnvironment` reads it (environment over `.env`, a bad value a
    /// `ConfigError`), for commands that need no other setting (`resync mock-hwa`).
    public static func logLevelFromEnvironment(
        dotEnvPath: String = ".env", processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Logger.Level? {
        var parser = ConfigParser(reader: try reader(dotEnvPath: dotEnvPath, processEnvironment: processEnvironment))
        let level = parser.parseLogLevel()
        guard parser.problems.isEmpty else { throw ConfigError(problems: parser.problems) }
        return level
    }

    /// The environment, with the `.env` file's variables (if any) under it.
    static func reader(dotEnvPath: String, processEnvironment: [String: String]) throws -> ConfigReader {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider(environmentVariables: processEnvironment)]
        if let fileVariables = try dotEnvVariables(path: dotEnvPath) {
            providers.append(EnvironmentVariablesProvider(environmentVariables: fileVariables))
        }
        return ConfigReader(providers: providers)
    }

    /// Every variable the loader reads, found by loading an empty environment. `variableNames` (what
    /// `config show` prints) must list each of them.
    public static var variablesRead: [String] {
        var parser = ConfigParser(
            reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [:])))
        _ = parser.parseAll()
        return parser.variablesRead
    }

    /// The variables of the `.env` file at `path`, nil when there is none. A line that cannot be read is a
    /// `ConfigError` naming the file and the line number, never the line (it may hold a secret).
    static func dotEnvVariables(path: String) throws(ConfigError) -> [String: String]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(problems: [
                ConfigProblem(variable: path, message: "cannot be read; check its permissions")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(problems: [ConfigProblem(variable: path, message: "is not UTF-8 text; save it as UTF-8")])
        }
        // swift-configuration's own .env reader splits on "\n" Characters, so a file with CRLF line endings read
        // as one variable holding the whole file (secrets included); this parser handles every line ending.
        let (entries, errors) = DotEnvFile.parse(text)
        guard errors.isEmpty else {
            throw ConfigError(problems: errors.map { ConfigProblem(variable: path, message: $0.description) })
        }
        var variables: [String: String] = [:]
        for entry in entries { variables[entry.name] = entry.value }
        return variables
    }

    /// Builds and validates the configuration from explicit variables (tests, tools).
    public static func load(environment: [String: String]) throws -> AppConfig {
        try load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    /// Builds and validates the configuration. Every problem found is reported, one line each.
    public static func load(from reader: ConfigReader) throws -> AppConfig {
        var parser = ConfigParser(reader: reader)
        let config = parser.parseAll()
        guard parser.problems.isEmpty, let config else {
            throw ConfigError(problems: parser.problems)
        }
        return config
    }
}

/// Reads variables by their documented names and collects every problem instead of stopping at the first.
struct ConfigParser {
    let reader: ConfigReader
    var problems: [ConfigProblem] = []
    /// Every variable asked for, in order (see `AppConfig.variablesRead`).
    var variablesRead: [String] = []

    init(reader: ConfigReader) { self.reader = reader }

    mutating func parseAll() -> AppConfig? {
        let environment = parseEnvironment()
        let http = AppConfig.HTTP(
            host: listenHost("HTTP_HOST", default: "0.0.0.0"),
            port: port("HTTP_PORT", default: 8000, allowZero: true))
        let hwa = parseHWA(environment: environment)
        let database = parseDatabase()
        let llm = parseLLM()
        let language = parseLanguage()
        let timeZone = parseTimeZone()
        let slack = parseSlack()
        let teams = parseTeams()
        let mattermost = parseMattermost()
        let interval = integer("MONITOR_INTERVAL_SECONDS", default: 30, range: 5...86_400)
        let auditorInterval = integer("AUDITOR_INTERVAL_SECONDS", default: 3_600, range: 60...604_800)
        let admin = parseAdmin(environment: environment)
        let knowledgeBasePath =
            existingPath("KNOWLEDGE_BASE_PATH", what: "knowledge base") ?? "Config/knowledge_base.xlsx"
        let metricsToken = secret("RESYNC_METRICS_TOKEN")
        let apiToken = secret("RESYNC_API_TOKEN")
        let monitorRulesPath = string("MONITOR_RULES_PATH") ?? "Config/alert-routes.json"
        let logLevel = parseLogLevel()
        // Only now: every variable is read (and every problem found) even when DATABASE_URL is wrong.
        guard let database else { return nil }
        var config = AppConfig(
            environment: environment, http: http, hwa: hwa, database: database, knowledgeBasePath: knowledgeBasePath,
            llm: llm, language: language, slack: slack, teams: teams, mattermost: mattermost,
            monitorInterval: .seconds(interval), auditorInterval: .seconds(auditorInterval), admin: admin,
            metricsToken: metricsToken, apiToken: apiToken, monitorRulesPath: monitorRulesPath, logLevel: logLevel)
        config.timeZone = timeZone
        return config
    }

    // MARK: Sections

    mutating func parseEnvironment() -> AppConfig.Environment {
        guard let raw = string("APP_ENV") else { return .development }
        guard let environment = AppConfig.Environment(rawValue: raw.lowercased()) else {
            problem("APP_ENV", "unknown environment \(quote(raw, of: "APP_ENV")); use 'development' or 'production'")
            return .development
        }
        return environment
    }

    mutating func parseHWA(environment: AppConfig.Environment) -> AppConfig.HWA {
        let mockMode = bool("TWS_MOCK_MODE", default: environment == .development)
        let verifyTLS = bool("TWS_VERIFY_TLS", default: true)
        let user = string("TWS_USER")
        let password = secret("TWS_PASSWORD")
        let apiKey = secret("TWS_API_KEY")
        let port = port("TWS_PORT", default: 31116)
        let host = string("TWS_HOST")
        var baseURL = "http://127.0.0.1:0/twsd"
        if let explicit = url("TWS_BASE_URL") {
            baseURL = explicit
        } else if let host {
            baseURL = "https://\(host):\(port)/twsd"
        } else if !mockMode {
            problem("TWS_HOST", "not set; give the HWA master's host name (or TWS_BASE_URL), or set TWS_MOCK_MODE=true")
        }
        if !mockMode {
            if apiKey == nil && (user == nil || password == nil) {
                problem("TWS_USER", "HWA credentials missing; set TWS_USER and TWS_PASSWORD, or TWS_API_KEY")
            }
        }
        if user != nil && password == nil && apiKey == nil {
            problem("TWS_PASSWORD", "TWS_USER is set but TWS_PASSWORD is not")
        }
        // The simulator answers with invented job statuses: in production they would pass for the real plan.
        if environment == .production && mockMode {
            problem(
                "TWS_MOCK_MODE",
                "the HWA simulator cannot run in production (it serves simulated job statuses); set TWS_MOCK_MODE=false "
                    + "with TWS_HOST and credentials, or APP_ENV=development")
        }
        if environment == .production && !verifyTLS {
            problem(
                "TWS_VERIFY_TLS",
                "TLS verification cannot be turned off in production; use TWS_CA_FILE for a private CA")
        }
        if !mockMode { checkTransport(baseURL: baseURL, environment: environment) }
        let caFile = certificateFile("TWS_CA_FILE")
        let mockData = existingPath("TWS_MOCK_DATA", what: "simulator scenario", mustBeFile: true)
        return AppConfig.HWA(
            host: host, port: port, baseURL: baseURL, user: user, password: password, apiKey: apiKey,
            verifyTLS: verifyTLS,
            caFile: caFile, mockMode: mockMode,
            mockDataPath: mockData ?? "Config/mock_tws_data.json")
    }

    mutating func parseDatabase() -> DatabaseLocation? {
        let raw = string("DATABASE_URL") ?? "sqlite://./data/resync.sqlite"
        do {
            return try DatabaseLocation(url: raw)
        } catch {
            problem("DATABASE_URL", "\(error)")
            return nil
        }
    }

    /// Routes both model names now, so `config show` reports an unroutable one instead of `serve` failing later.
    mutating func parseLLM() -> AppConfig.LLM {
        let endpoint = url("LLM_ENDPOINT")
        let llm = AppConfig.LLM(
            endpoint: endpoint,
            apiKey: secret("LLM_API_KEY"),
            agentModel: string("AGENT_MODEL_NAME"),
            auditorModel: string("AUDITOR_MODEL_NAME"),
            embeddingModel: string("EMBEDDING_MODEL_NAME"))
        // A refused LLM_ENDPOINT is already reported; routing without it would blame the model names.
        guard endpoint != nil || string("LLM_ENDPOINT") == nil else { return llm }
        for (variable, model) in [("AGENT_MODEL_NAME", llm.agentModel), ("AUDITOR_MODEL_NAME", llm.auditorModel)] {
            guard let model else { continue }
            do throws(LLMRoutingError) {
                _ = try LLMProviderRoute.resolve(modelName: model, endpoint: endpoint, apiKey: nil, variable: variable)
            } catch {
                if !problems.contains(where: { $0.variable == error.variable }) {
                    problem(error.variable, error.problem)
                }
            }
        }
        return llm
    }

    mutating func parseLogLevel() -> Logger.Level? {
        guard let raw = string("LOG_LEVEL") else { return nil }
        guard let level = Logger.Level(rawValue: raw.lowercased()) else {
            problem(
                "LOG_LEVEL",
                "\(quote(raw, of: "LOG_LEVEL")) is not a log level; use trace, debug, info, notice, warning, error "
                    + "or critical")
            return nil
        }
        return level
    }

    mutating func parseLanguage() -> Language {
        guard let raw = string("RESYNC_LANGUAGE") else { return .portuguese }
        guard let language = Language(code: raw) else {
            problem("RESYNC_LANGUAGE", "unsupported language \(quote(raw, of: "RESYNC_LANGUAGE")); use 'pt-BR' or 'en'")
            return .portuguese
        }
        return language
    }

    mutating func parseSlack() -> AppConfig.Slack? {
        let signingSecret = secret("SLACK_SIGNING_SECRET")
        let botToken = secret("SLACK_BOT_TOKEN")
        let apiBase = url("SLACK_API_BASE_URL") ?? "https://slack.com/api"
        let opsChannel = string("SLACK_OPS_CHANNEL")
        guard signingSecret != nil || botToken != nil || opsChannel != nil else { return nil }
        if signingSecret == nil {
            problem("SLACK_SIGNING_SECRET", "not set; Slack requests cannot be verified without it")
        }
        // Without the token nothing reaches Slack: answers, alerts to SLACK_OPS_CHANNEL and replies all go through
        // the Web API. Refused here, as Mattermost without its bot token is, rather than running deaf-mute.
        if botToken == nil {
            problem(
                "SLACK_BOT_TOKEN",
                "not set; Resync posts answers and alerts through Slack's Web API with it: copy OAuth & Permissions "
                    + "→ Bot User OAuth Token (xoxb-…), or unset the other SLACK_* variables")
        }
        guard let signingSecret, let botToken else { return nil }
        return AppConfig.Slack(
            signingSecret: signingSecret, botToken: botToken, apiBaseURL: apiBase, opsChannel: opsChannel)
    }

    mutating func parseTeams() -> AppConfig.Teams? {
        let outgoing = secret("TEAMS_OUTGOING_WEBHOOK_SECRET")
        let workflow = secret("TEAMS_WORKFLOW_URL")
        guard outgoing != nil || workflow != nil else { return nil }
        if let outgoing, Data(base64Encoded: outgoing.value) == nil {
            problem("TEAMS_OUTGOING_WEBHOOK_SECRET", "not valid base64; paste the security token Teams showed")
        }
        if let workflow, !isHTTPURL(workflow.value) {
            problem("TEAMS_WORKFLOW_URL", "not an http(s) URL")
        }
        return AppConfig.Teams(outgoingWebhookSecret: outgoing, workflowURL: workflow)
    }

    mutating func parseMattermost() -> AppConfig.Mattermost? {
        let serverURL = url("MATTERMOST_URL")
        let botToken = secret("MATTERMOST_BOT_TOKEN")
        let slashToken = secret("MATTERMOST_SLASH_TOKEN")
        let outgoingToken = secret("MATTERMOST_OUTGOING_TOKEN")
        let opsChannel = string("MATTERMOST_OPS_CHANNEL_ID")
        let anySet = [botToken, slashToken, outgoingToken].contains { $0 != nil } || opsChannel != nil
        guard serverURL != nil || anySet else { return nil }
        if serverURL == nil && anySet {
            problem("MATTERMOST_URL", "not set; other MATTERMOST_* variables need the server's URL")
        }
        if botToken == nil {
            problem(
                "MATTERMOST_BOT_TOKEN",
                "not set; Resync posts its Mattermost answers as the bot account: create a bot (System Console → "
                    + "Integrations → Bot Accounts) and set its token, or unset the MATTERMOST_* variables")
        }
        guard let serverURL else { return nil }
        return AppConfig.Mattermost(
            url: serverURL, botToken: botToken, slashToken: slashToken, outgoingToken: outgoingToken,
            opsChannelID: opsChannel)
    }

    mutating func parseAdmin(environment: AppConfig.Environment) -> AppConfig.Admin? {
        let user = string("RESYNC_ADMIN_USER")
        let hash = secret("RESYNC_ADMIN_PASSWORD_HASH")
        if let hash, !Self.looksLikeBcrypt(hash.value) {
            problem("RESYNC_ADMIN_PASSWORD_HASH", "not a bcrypt hash (expected $2a$/$2b$/$2y$, 60 characters)")
        }
        if environment == .production {
            if user == nil {
                problem("RESYNC_ADMIN_USER", "required in production")
            }
            if hash == nil {
                problem("RESYNC_ADMIN_PASSWORD_HASH", "required in production; create one with `resync hash-password`")
            }
        }
        guard let user else { return hash == nil ? nil : AppConfig.Admin(user: "admin", passwordHash: hash) }
        return AppConfig.Admin(user: user, passwordHash: hash)
    }

    static func looksLikeBcrypt(_ value: String) -> Bool {
        value.count == 60 && ["$2a$", "$2b$", "$2y$"].contains { value.hasPrefix($0) }
    }

    // MARK: Typed readers

    mutating func string(_ name: String) -> String? {
        // A secret read as a plain string could be quoted by an error message or shown by `config show`.
        assert(!AppConfig.secretVariableNames.contains(name), "\(name) is a secret; read it with secret(_:)")
        return read(name, isSecret: false)
    }

    mutating func secret(_ name: String) -> Secret? {
        assert(AppConfig.secretVariableNames.contains(name), "\(name) is missing from AppConfig.secretVariableNames")
        return read(name, isSecret: true).map(Secret.init)
    }

    mutating func read(_ name: String, isSecret: Bool) -> String? {
        if !variablesRead.contains(name) { variablesRead.append(name) }
        let key = ConfigKey(name.lowercased().split(separator: "_").map(String.init))
        let value = reader.string(forKey: key, isSecret: isSecret)?.trimmingCharacters(in: .whitespaces)
        return value?.isEmpty == false ? value : nil
    }

    mutating func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let raw = string(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            problem(name, "\(quote(raw, of: name)) is not a boolean; use true or false")
            return defaultValue
        }
    }

    mutating func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            problem(
                name,
                "\(quote(raw, of: name)) is not a whole number between \(range.lowerBound) and \(range.upperBound)")
            return defaultValue
        }
        return value
    }

    mutating func port(_ name: String, default defaultValue: Int, allowZero: Bool = false) -> Int {
        integer(name, default: defaultValue, range: (allowZero ? 0 : 1)...65_535)
    }

    mutating func url(_ name: String) -> String? {
        guard let raw = string(name) else { return nil }
        guard isHTTPURL(raw) else {
            // Quoted with its user-info and query masked: a URL may carry a password or an API key.
            problem(name, "\(quote(Redactor.redactURL(raw), of: name)) is not an http(s) URL with a host")
            return nil
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    func isHTTPURL(_ raw: String) -> Bool {
        guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// A refused value as a message may show it (see `ConfigProblem.quote`).
    func quote(_ raw: String, of variable: String) -> String {
        ConfigProblem.quote(raw, of: variable)
    }

    mutating func problem(_ variable: String, _ message: String) {
        problems.append(ConfigProblem(variable: variable, message: message))
    }
}
