import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import Storage

/// The chat core and the Slack adapter, built from configuration: stores on the app's database, the
/// ingress the routes call, and the background services (question processor, outbox worker).
public struct ChatRuntime: Sendable {
    public let slack: SlackPlatform?
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

        public init(
            processor: ChatQuestionProcessor.Options = .init(), outbox: ChatOutboxWorker.Options = .init(),
            runProcessor: Bool = true, runOutboxWorker: Bool = true, slackChannelPacing: Duration = .seconds(1),
            slackRequestTimeout: Duration = .seconds(10)
        ) {
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
        slack slackConfig: AppConfig.Slack?, database: AppDatabase, answering: any QuestionAnswering,
        accessPolicy: ChatAccessPolicy, options: Options = Options(), time: any TimeSource = SystemTimeSource(),
        httpClient: HTTPClient = .shared, logger: Logger
    ) throws -> ChatRuntime? {
        guard let slackConfig else { return nil }
        var chatLogger = logger
        chatLogger[metadataKey: "concern"] = "chat"
        let slack = try SlackPlatform(
            signingSecret: slackConfig.signingSecret, botToken: slackConfig.botToken,
            apiBaseURL: slackConfig.apiBaseURL,
            httpClient: httpClient, requestTimeout: options.slackRequestTimeout,
            channelPacing: options.slackChannelPacing, logger: chatLogger)
        let platforms: [any ChatPlatform] = [slack]
        let inbound = SQLChatInboundStore(database: database)
        let outbox = SQLChatOutboxStore(database: database)
        let threads = SQLChatThreadContextStore(database: database)
        let feedback = SQLAnswerFeedbackStore(database: database)
        let processorSignal = WorkSignal()
        let outboxSignal = WorkSignal()
        let ingress = ChatIngress(
            inbound: inbound, outbox: outbox, threads: threads, feedback: feedback, processorSignal: processorSignal,
            outboxSignal: outboxSignal, time: time, logger: chatLogger)
        var services: [any Service] = []
        let schemaReady: @Sendable () async throws -> Void = {
            try await waitForSchema(outbox: outbox, time: time)
        }
        if options.runProcessor {
            let processor = ChatQuestionProcessor(
                platforms: platforms, inbound: inbound, threads: threads, answering: answering, policy: accessPolicy,
                signal: processorSignal, outboxSignal: outboxSignal, options: options.processor, time: time,
                logger: chatLogger)
            services.append(AfterSchemaService(wait: schemaReady, service: processor))
        }
        if options.runOutboxWorker {
            let worker = ChatOutboxWorker(
                platforms: platforms, outbox: outbox, threads: threads, signal: outboxSignal, options: options.outbox,
                time: time, logger: chatLogger)
            services.append(AfterSchemaService(wait: schemaReady, service: worker))
        }
        let poster = ChatOutboxPoster(platforms: platforms, outbox: outbox, outboxSignal: outboxSignal, time: time)
        let alertPublisher = OutboxAlertPublisher(
            platforms: platforms, outbox: outbox, outboxSignal: outboxSignal, time: time)
        return ChatRuntime(
            slack: slack, ingress: ingress, poster: poster, alertPublisher: alertPublisher, feedback: feedback,
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
