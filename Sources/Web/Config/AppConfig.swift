import Foundation
import Logging
import ResyncCore
import Storage

/// The whole configuration of a Resync process, read once at start from the environment (and `.env`).
/// Nothing else in the program reads environment variables.
public struct AppConfig: Sendable {
    public enum Environment: String, Sendable, CaseIterable {
        case development, production
    }

    public struct HTTP: Sendable {
        public var host: String
        public var port: Int
    }

    public struct HWA: Sendable {
        /// `TWS_HOST` as given; `baseURL` is built from it and `port` unless `TWS_BASE_URL` is set.
        public var host: String?
        /// `TWS_PORT` (default 31116).
        public var port: Int
        /// Base URL of the REST API, ending in `/twsd`.
        public var baseURL: String
        public var user: String?
        public var password: Secret?
        public var apiKey: Secret?
        public var verifyTLS: Bool
        public var caFile: String?
        /// Run against the embedded simulator instead of a real master.
        public var mockMode: Bool
        public var mockDataPath: String
    }

    public struct LLM: Sendable {
        public var endpoint: String?
        public var apiKey: Secret?
        public var agentModel: String?
        public var auditorModel: String?
        public var embeddingModel: String?
    }

    public struct Slack: Sendable {
        public var signingSecret: Secret
        /// Required: answers, alerts and replies all go through the Web API.
        public var botToken: Secret
        public var apiBaseURL: String
        public var opsChannel: String?
    }

    public struct Teams: Sendable {
        /// Base64-encoded HMAC key of the outgoing webhook.
        public var outgoingWebhookSecret: Secret?
        public var workflowURL: Secret?
    }

    public struct Mattermost: Sendable {
        public var url: String
        public var botToken: Secret?
        public var slashToken: Secret?
        public var outgoingToken: Secret?
        public var opsChannelID: String?
    }

    public struct Admin: Sendable {
        public var user: String
        /// bcrypt hash; nil in development until one is generated at start.
        public var passwordHash: Secret?
    }

    public var environment: Environment
    public var http: HTTP
    public var hwa: HWA
    public var database: DatabaseLocation
    public var knowledgeBasePath: String
    public var llm: LLM
    public var language: Language
    public var slack: Slack?
    public var teams: Teams?
    public var mattermost: Mattermost?
    public var monitorInterval: Duration
    /// How often the auditor scores memories.
    public var auditorInterval: Duration
    public var admin: Admin?
    /// Bearer token `/metrics` and `/api/metrics` require when set; open when nil.
    public var metricsToken: Secret? = nil
    /// Bearer token that acts as an admin (`/api/memories`, `/api/ask` for `resync ask`); none when nil.
    public var apiToken: Secret? = nil
    /// The monitor's alert rules file (`MONITOR_RULES_PATH`); a missing file means default routing.
    public var monitorRulesPath: String = "Config/alert-routes.json"
    /// `LOG_LEVEL`; nil when unset, so each command picks its own default (the server `info`, one-shot
    /// commands `warning`).
    public var logLevel: Logger.Level? = nil
    /// `RESYNC_TIME_ZONE`: the zone answers show times in and read "hoje", "ontem", "desde as 14h" in; the
    /// host's zone when unset.
    public var timeZone: TimeZone = .current
}
