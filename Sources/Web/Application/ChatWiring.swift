import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import Storage

/// The chat core and the platform adapters (Slack, Teams, Mattermost), built from configuration: stores on the
/// app's database, the ingress the routes call, and the background services (question processor, outbox
/// worker, Teams responder, Mattermost reaction listener).
public struct ChatRuntime: Sendable {
    public let slack: SlackPlatform?
    public let teams: TeamsChat?
    public let mattermost: MattermostChat?
    /// Mutable so the monitor can attach its sink for replies in alert threads.
    public var ingress: ChatIngress
    /// For proactive messages (Monitor's alerts): paced, retried, sent once.
    public let poster: any ChatPoster
    /// The monitor's alerts, idempotent per key and threaded under their digest or alert.
    public let alertPublisher: any AlertPublishing
    /// Reactions and buttons on answers, for the auditor.
    public let feedback: any AnswerFeedbackStore
    public let outbox: any ChatOutboxStore
    public let inbound: any ChatInboundStore
    public let accessPolicy: ChatAccessPolicy
    public let services: [any Service]
    public let time: any TimeSource
    public let logger: Logger
}

public enum ChatWiring {
    public struct Options: Sendable {
        public var processor: ChatQuestionProcessor.Options
        public var outbox: ChatOutboxWorker.Options
        /// A replica can take webhooks only and leave answering or sending to others.
        public var runProcessor: Bool
        public var runOutboxWorker: Bool
        public var slackChannelPacing: Duration
        public var slackRequestTimeout: Duration
        /// How long `POST /teams/webhook` waits for the answer before replying "working on it" (Teams allows 5 s).
        public var teamsReplyBudget: Duration
        /// Feedback from Mattermost reactions; one replica is enough (each listener records what it hears).
        public var runMattermostListener: Bool

        public init(
            processor: ChatQuestionProcessor.Options = .init(), outbox: ChatOutboxWorker.Options = .init(),
            runProcessor: Bool = true, runOutboxWorker: Bool = true, slackChannelPacing: Duration = .seconds(1),
            slackRequestTimeout: Duration = .seconds(10), teamsReplyBudget: Duration = .seconds(4),
            runMattermostListener: Bool = true
        ) {
            self.teamsReplyBudget = teamsReplyBudget
            self.runMattermostListener = runMattermostListener
            self.processor = processor
            self.outbox = outbox
            self.runProcessor = runProcessor
            self.runOutboxWorker = runOutboxWorker
            self.slackChannelPacing = slackChannelPacing
            self.slackRequestTimeout = slackRequestTimeout
        }
    }

    public enum WiringError: Error, CustomStringConvertible, Sendable {
        case unreadableAccessPolicy(path: String, detail: String)

        public var description: String {
            switch self {
            case .unreadableAccessPolicy(let path, let detail):
                "access policy \(path) cannot be read: \(detail); fix the JSON (see docs/SLACK.md) or remove the file"
            }
        }
    }

    /// Reads `Config/access.json`; a missing file means everyone may see everything.
    public static func loadAccessPolicy(path: String = "Config/access.json") throws -> ChatAccessPolicy {
        guard FileManager.default.fileExists(atPath: path) else { return .allowAll }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(ChatAccessPolicy.self, from: data)
        } catch {
            throw WiringError.unreadableAccessPolicy(path: path, detail: "\(error)")
        }
    }

    /// Builds the chat runtime, or nil when no chat platform is configured.
    public static func makeChat(
        slack slackConfig: AppConfig.Slack?, teams teamsConfig: AppConfig.Teams? = nil,
        mattermost mattermostConfig: AppConfig.Mattermost? = nil, language: Language = .english,
        database: AppDatabase, answering: any QuestionAnswering, accessPolicy: ChatAccessPolicy,
        options: Options = Options(), time: any TimeSource = SystemTimeSource(), httpClient: HTTPClient,
        memories: (any MemoryStore)? = nil, activity: (any BotActivityRecording)? = nil, logger: Logger
    ) throws -> ChatRuntime? {
        guard slackConfig != nil || teamsConfig != nil || mattermostConfig != nil else { return nil }
        var chatLogger = logger
        chatLogger[metadataKey: "concern"] = "chat"
        let slack = try slackConfig.map { slackConfig in
            try SlackPlatform(
                signingSecret: slackConfig.signingSecret, botToken: slackConfig.botToken,
                apiBaseURL: slackConfig.apiBaseURL,
                httpClient: httpClient, requestTimeout: options.slackRequestTimeout,
                channelPacing: options.slackChannelPacing, language: language, logger: chatLogger)
        }
        let inbound = SQLChatInboundStore(database: database)
        let outbox = SQLChatOutboxStore(database: database)
        let threads = SQLChatThreadContextStore(database: database)
        let stored = SQLAnswerFeedbackStore(database: database)
        // With memories, each signal also reaches the answered question's memory (see AnsweredQuestionRecorder).
        let feedback: any AnswerFeedbackStore =
            memories.map { MemoryFeedbackForwarder(store: stored, memories: $0, logger: logger) } ?? stored
        let processorSignal = WorkSignal()
        let ingressLoad = IngressLoad()
        let outboxSignal = WorkSignal()
        let core = ChatCoreParts(
            inbound: inbound, outbox: outbox, threads: threads, outboxSignal: outboxSignal, answering: answering,
            accessPolicy: accessPolicy, activity: activity, time: time, httpClient: httpClient, logger: chatLogger)
        var teams = try teamsConfig.map {
            try TeamsWiring.make($0, language: language, core: core, replyBudget: options.teamsReplyBudget)
        }
        let mattermost = try mattermostConfig.map { try MattermostWiring.make($0, language: language, core: core) }
        var platforms: [any ChatPlatform] = []
        if let slack { platforms.append(slack) }
        if let teams { platforms.append(teams.platform) }
        if let mattermost { platforms.append(mattermost.platform) }
        var ingress = ChatIngress(
            inbound: inbound, outbox: outbox, threads: threads, feedback: feedback, processorSignal: processorSignal,
            outboxSignal: outboxSignal, load: ingressLoad, activity: activity, time: time, logger: chatLogger)
        let learning = memories.map {
            LearningWiring.make(
                database: database, outbox: outbox, threads: threads, memories: $0, mattermost: mattermostConfig,
                runRetention: options.runProcessor, time: time, logger: chatLogger)
        }
        ingress.learning = learning?.learner
        teams?.learner = learning?.learner
        var services: [any Service] = []
        let schemaReady: @Sendable () async throws -> Void = {
            try await waitForSchema(outbox: outbox, time: time)
        }
        services += (learning?.services ?? []).map { AfterSchemaService(wait: schemaReady, service: $0) }
        if options.runProcessor {
            let processor = ChatQuestionProcessor(
                platforms: platforms, inbound: inbound, threads: threads, answering: answering, policy: accessPolicy,
                signal: processorSignal, outboxSignal: outboxSignal, load: ingressLoad, activity: activity,
                options: options.processor, time: time, logger: chatLogger)
            services.append(AfterSchemaService(wait: schemaReady, service: processor))
        }
        if options.runOutboxWorker {
            let worker = ChatOutboxWorker(
                platforms: platforms, outbox: outbox, threads: threads, signal: outboxSignal, options: options.outbox,
                time: time, logger: chatLogger)
            services.append(AfterSchemaService(wait: schemaReady, service: worker))
        }
        // The responder runs wherever the route does: a Teams question is answered on the replica it reached.
        if let teams, teams.receiver != nil { services.append(teams.responder) }
        if options.runMattermostListener, let mattermost, let mattermostConfig,
            let listener = MattermostWiring.listener(mattermost, config: mattermostConfig, ingress: ingress, core: core)
        {
            services.append(AfterSchemaService(wait: schemaReady, service: listener))
        }
        let poster = ChatOutboxPoster(platforms: platforms, outbox: outbox, outboxSignal: outboxSignal, time: time)
        let alertPublisher = OutboxAlertPublisher(
            platforms: platforms, outbox: outbox, outboxSignal: outboxSignal, time: time)
        return ChatRuntime(
            slack: slack, teams: teams, mattermost: mattermost, ingress: ingress, poster: poster,
            alertPublisher: alertPublisher, feedback: feedback,
            outbox: outbox, inbound: inbound, accessPolicy: accessPolicy, services: services, time: time,
            logger: chatLogger)
    }

    /// Adds the chat runtime to the application: its routes (through `buildRouter`) and its services,
    /// after the database's so they stop before it.
    public static func attach(_ chat: ChatRuntime?, to dependencies: inout AppDependencies) {
        guard let chat else { return }
        dependencies.chat = chat
        dependencies.services += chat.services
    }

    /// The services start with the HTTP server, while migrations may still run: wait (bounded) for the
    /// chat tables instead of logging errors meanwhile.
    static func waitForSchema(outbox: any ChatOutboxStore, time: any TimeSource) async throws {
        for _ in 0..<600 {
            if Task.isShuttingDownGracefully { return }
            if (try? await outbox.list(status: nil, limit: 1)) != nil { return }
            try await time.sleep(for: .milliseconds(100))
        }
    }
}

/// Runs `service` once `wait` returns.
struct AfterSchemaService: Service {
    let wait: @Sendable () async throws -> Void
    let service: any Service

    func run() async throws {
        try await wait()
        try await service.run()
    }
}
