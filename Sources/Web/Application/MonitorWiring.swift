import ChatPlatforms
import Foundation
import Logging
import Monitor
import ResyncCore
import Storage

/// Builds the failure monitor from the ports and the configuration. The composition root passes in the
/// scheduler client, the agent's diagnosis and the outbox-backed publisher.
public enum MonitorWiring {
    /// Where the alert rules file lives unless told otherwise.
    public static let defaultRulesPath = "Config/alert-routes.json"

    /// What the composition root needs from the monitor: the service to run and the sink for thread replies.
    public struct Parts: Sendable {
        public var monitor: FailureMonitor
        public var replies: any AlertReplySink
        public var store: any AlertStateStore
    }

    /// The ops channels of every configured platform: `SLACK_OPS_CHANNEL`, `MATTERMOST_OPS_CHANNEL_ID`, and the
    /// Teams Workflows webhook (`TEAMS_WORKFLOW_URL`, destination `teams:workflow`).
    public static func defaultDestinations(_ config: AppConfig) -> [AlertDestination] {
        var destinations: [AlertDestination] = []
        // Slack and Mattermost configurations without their bot token are refused when the configuration is read.
        if let channel = config.slack?.opsChannel {
            destinations.append(AlertDestination(platform: .slack, channel: channel))
        }
        if config.teams?.workflowURL != nil {
            destinations.append(AlertDestination(platform: .teams, channel: "workflow"))
        }
        if let channel = config.mattermost?.opsChannelID, config.mattermost?.botToken != nil {
            destinations.append(AlertDestination(platform: .mattermost, channel: channel))
        }
        return destinations
    }

    /// The access policy's `alertChannels`: each receives the alerts about its jobs besides the routed channels.
    public static func subscriptions(_ policy: ChatAccessPolicy) -> [AlertSubscription] {
        policy.alertChannels.map {
            AlertSubscription(destination: AlertDestination(platform: $0.platform, channel: $0.channel), jobs: $0.jobs)
        }
    }

    /// The platforms the chat runtime can actually post through.
    public static func runtimePlatforms(_ chat: ChatRuntime) -> Set<ChatPlatformKind> {
        var platforms = Set<ChatPlatformKind>()
        if chat.slack != nil { platforms.insert(.slack) }
        if chat.teams != nil { platforms.insert(.teams) }
        if chat.mattermost != nil { platforms.insert(.mattermost) }
        return platforms
    }

    /// The platforms configured to post proactively (a bot token, or the Teams Workflows webhook).
    public static func postingPlatforms(_ config: AppConfig) -> Set<ChatPlatformKind> {
        var platforms = Set<ChatPlatformKind>()
        if config.slack != nil { platforms.insert(.slack) }
        if config.teams?.workflowURL != nil { platforms.insert(.teams) }
        if config.mattermost?.botToken != nil { platforms.insert(.mattermost) }
        return platforms
    }

    /// The leader lease for the database: a PostgreSQL advisory lock, or the single instance of SQLite.
    public static func lease(for database: AppDatabase, logger: Logger) throws -> any LeaderLease {
        try PostgresLeaderLease(location: database.location, logger: logger) ?? SingleInstanceLease()
    }

    /// The monitor service and its reply sink. Throws a `MonitorConfigError` naming the rules file when it is wrong.
    public static func makeMonitor(
        config: AppConfig, database: AppDatabase, scheduler: any SchedulerAPI, diagnoser: any FailureDiagnosing,
        publisher: any AlertPublishing, rulesPath: String = defaultRulesPath, time: any TimeSource = SystemTimeSource(),
        activity: (any AlertActivityRecording)? = nil, publishingPlatforms: Set<ChatPlatformKind>? = nil,
        accessPolicy: ChatAccessPolicy = .allowAll, logger: Logger
    ) throws -> Parts {
        var logger = logger
        logger[metadataKey: "component"] = "monitor"
        let store = SQLAlertStateStore(database: database)
        // Platforms with tokens but no adapter in this build cannot post: their destinations are left out.
        let reachable = publishingPlatforms ?? Set(ChatPlatformKind.allCases)
        let configuration = MonitorConfiguration(
            interval: config.monitorInterval, language: config.language, rules: try MonitorRules.load(path: rulesPath),
            defaultDestinations: defaultDestinations(config).filter { reachable.contains($0.platform) },
            postingPlatforms: postingPlatforms(config).intersection(reachable),
            subscriptions: subscriptions(accessPolicy))
        let monitor = try FailureMonitor(
            scheduler: scheduler, diagnoser: diagnoser, publisher: publisher, store: store,
            lease: try lease(for: database, logger: logger), configuration: configuration, time: time, logger: logger,
            activity: activity)
        return Parts(monitor: monitor, replies: AlertReplyRecorder(store: store), store: store)
    }
}

extension MonitorWiring {
    /// Adds the monitor to the application when a chat runtime can post its alerts: the service (started once
    /// the schema is there), operators' thread replies from the chat ingress, and the dashboard's alert feed.
    public static func attach(
        to dependencies: inout AppDependencies, diagnoser: any FailureDiagnosing, logger: Logger
    ) throws {
        guard let chat = dependencies.chat else {
            logger.info("failure monitor off: no chat platform is configured to post alerts")
            return
        }
        let parts = try makeMonitor(
            config: dependencies.config, database: dependencies.database, scheduler: dependencies.scheduler,
            diagnoser: diagnoser, publisher: chat.alertPublisher, rulesPath: dependencies.config.monitorRulesPath,
            time: chat.time, activity: dependencies.web?.alerts,
            publishingPlatforms: runtimePlatforms(chat), accessPolicy: chat.accessPolicy, logger: logger)
        dependencies.chat?.ingress.alertReplies = parts.replies
        dependencies.chat?.ingress.learning?.attach(alertSubjects: AlertReplyRecorder(store: parts.store))
        let outbox = chat.outbox
        let time = chat.time
        dependencies.services.append(
            AfterSchemaService(
                wait: { try await ChatWiring.waitForSchema(outbox: outbox, time: time) }, service: parts.monitor))
    }
}
