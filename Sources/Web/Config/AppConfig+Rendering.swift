import Foundation
import Logging
import ResyncCore
import Storage

extension AppConfig {
    /// Every variable Resync reads, in the order `config show` prints them.
    public static var variableNames: [String] {
        (try? AppConfig.load(environment: [:]))?.redactedLines.compactMap {
            $0.split(separator: "=").first.map(String.init)
        }
            ?? []
    }

    /// The variables holding secrets: read as `Secret`, masked by `config show`, never quoted by an error.
    public static let secretVariableNames: Set<String> = [
        "TWS_PASSWORD", "TWS_API_KEY", "LLM_API_KEY", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN",
        "TEAMS_OUTGOING_WEBHOOK_SECRET", "TEAMS_WORKFLOW_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_SLASH_TOKEN",
        "MATTERMOST_OUTGOING_TOKEN", "RESYNC_ADMIN_PASSWORD_HASH", "RESYNC_METRICS_TOKEN", "RESYNC_API_TOKEN",
    ]

    /// The effective configuration as `VARIABLE=value` lines, secrets masked, for `resync config show`. URLs
    /// show without their user-info and query values, which may be credentials.
    public var redactedLines: [String] {
        var lines: [(String, String)] = [
            ("APP_ENV", environment.rawValue),
            ("HTTP_HOST", http.host),
            ("HTTP_PORT", String(http.port)),
            ("TWS_MOCK_MODE", String(hwa.mockMode)),
            ("TWS_HOST", hwa.host ?? "(unset)"),
            ("TWS_PORT", String(hwa.port)),
            ("TWS_BASE_URL", Redactor.redactURL(hwa.baseURL)),
            ("TWS_USER", hwa.user ?? "(unset)"),
            ("TWS_PASSWORD", show(hwa.password)),
            ("TWS_API_KEY", show(hwa.apiKey)),
            ("TWS_VERIFY_TLS", String(hwa.verifyTLS)),
            ("TWS_CA_FILE", hwa.caFile ?? "(unset)"),
            ("TWS_MOCK_DATA", hwa.mockDataPath),
            ("DATABASE_URL", database.redactedDescription),
            ("KNOWLEDGE_BASE_PATH", knowledgeBasePath),
            ("LLM_ENDPOINT", llm.endpoint.map(Redactor.redactURL) ?? "(unset)"),
            ("LLM_API_KEY", show(llm.apiKey)),
            ("AGENT_MODEL_NAME", llm.agentModel ?? "(unset: deterministic mode)"),
            ("AUDITOR_MODEL_NAME", llm.auditorModel ?? "(unset)"),
            ("EMBEDDING_MODEL_NAME", llm.embeddingModel ?? "(unset: lexical search)"),
            ("RESYNC_LANGUAGE", language.rawValue),
            ("RESYNC_TIME_ZONE", timeZone.identifier),
            ("MONITOR_INTERVAL_SECONDS", String(monitorInterval.components.seconds)),
            ("MONITOR_RULES_PATH", monitorRulesPath),
            ("AUDITOR_INTERVAL_SECONDS", String(auditorInterval.components.seconds)),
        ]
        lines += [
            ("SLACK_SIGNING_SECRET", show(slack?.signingSecret)),
            ("SLACK_BOT_TOKEN", show(slack?.botToken)),
            ("SLACK_API_BASE_URL", slack.map { Redactor.redactURL($0.apiBaseURL) } ?? "(unset)"),
            ("SLACK_OPS_CHANNEL", slack?.opsChannel ?? "(unset)"),
            ("TEAMS_OUTGOING_WEBHOOK_SECRET", show(teams?.outgoingWebhookSecret)),
            ("TEAMS_WORKFLOW_URL", show(teams?.workflowURL)),
            ("MATTERMOST_URL", mattermost.map { Redactor.redactURL($0.url) } ?? "(unset)"),
            ("MATTERMOST_BOT_TOKEN", show(mattermost?.botToken)),
            ("MATTERMOST_SLASH_TOKEN", show(mattermost?.slashToken)),
            ("MATTERMOST_OUTGOING_TOKEN", show(mattermost?.outgoingToken)),
            ("MATTERMOST_OPS_CHANNEL_ID", mattermost?.opsChannelID ?? "(unset)"),
            ("RESYNC_ADMIN_USER", admin?.user ?? "(unset)"),
            ("RESYNC_ADMIN_PASSWORD_HASH", show(admin?.passwordHash)),
            ("RESYNC_METRICS_TOKEN", show(metricsToken)),
            ("RESYNC_API_TOKEN", show(apiToken)),
            ("LOG_LEVEL", logLevel?.rawValue ?? "(unset: info; warning for one-shot commands)"),
        ]
        return lines.map { "\($0.0)=\($0.1)" }
    }

    private func show(_ secret: Secret?) -> String {
        secret.map { "\($0)" } ?? "(unset)"
    }
}
