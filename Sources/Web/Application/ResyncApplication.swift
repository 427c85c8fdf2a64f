import Agent
import Auditor
import Foundation
import Hummingbird
import Logging
import Prometheus
import ResyncCore
import ServiceLifecycle
import Storage

/// Everything the HTTP application needs, built once by the composition root (or by a test with fakes).
public struct AppDependencies: Sendable {
    public var config: AppConfig
    public var database: AppDatabase
    public var registry: PrometheusCollectorRegistry
    public var scheduler: any SchedulerAPI
    public var knowledge: any KnowledgeStore
    public var memories: any MemoryStore
    public var agent: Agent
    public var readiness: [ReadinessCheck]
    /// Long-running peers of the HTTP server, in start order: database pool, simulator, pollers, workers.
    public var services: [any Service]
    public var logger: Logger
    /// Chat platforms (Slack…) and their background services; set by `ChatWiring.attach`.
    public var chat: ChatRuntime? = nil
    /// Login, dashboard, web chat and docs (see WebWiring.swift).
    public var web: WebComponents?

    /// Dependencies over `database`; what is not given defaults to the SQL stores on that database, an
    /// agent without LLM over them, and a scheduler that says HWA is not configured (route tests).
    public init(
        config: AppConfig, database: AppDatabase, registry: PrometheusCollectorRegistry,
        readiness: [ReadinessCheck], services: [any Service], logger: Logger,
        scheduler: any SchedulerAPI = UnconfiguredScheduler(), knowledge: (any KnowledgeStore)? = nil,
        memories: (any MemoryStore)? = nil, agent: Agent? = nil, web: WebComponents? = nil
    ) {
        let knowledge = knowledge ?? SQLKnowledgeStore(database: database, embeddings: nil, logger: logger)
        let memories = memories ?? SQLMemoryStore(database: database, logger: logger)
        self.config = config
        self.database = database
        self.registry = registry
        self.scheduler = scheduler
        self.knowledge = knowledge
        self.memories = memories
        self.agent =
            agent
            ?? AgentWiring.makeAgent(
                scheduler: scheduler, knowledge: knowledge, memories: memories, llm: nil, config: config,
                logger: logger)
        self.readiness = readiness
        self.services = services
        self.logger = logger
        self.web = web
    }
}

/// The composition root: turns an `AppConfig` into the wired dependencies and the application.
public enum ResyncApplication {
    /// Opens the real adapters named by `config`. The caller runs the returned application.
    public static func makeDependencies(
        config: AppConfig, registry: PrometheusCollectorRegistry, logger: Logger
    ) async throws -> AppDependencies {
        try await OutboundHTTPClient.whileBuilding { outbound in
            try await makeDependencies(config: config, registry: registry, outbound: outbound, logger: logger)
        }
    }

    /// What the rest is built on, made before the HWA client.
    private struct Foundations {
        let outbound: OutboundHTTPClient
        let llm: (any LLMClient)?
        let judge: (any MemoryJudge)?
        let accessPolicy: ChatAccessPolicy
        let database: AppDatabase
        let knowledge: KnowledgeWiring
    }

    private static func makeDependencies(
        config: AppConfig, registry: PrometheusCollectorRegistry, outbound: OutboundHTTPClient, logger: Logger
    ) async throws -> AppDependencies {
        let http = outbound.client
        let llm = try AgentWiring.makeLLMClient(config.llm, httpClient: http, logger: logger)
        let judge = try AuditorWiring.makeJudge(config.llm, httpClient: http, logger: logger)
        let accessPolicy = try ChatWiring.loadAccessPolicy()
        let database = try AppDatabase(location: config.database, logger: logger)
        let base = Foundations(
            outbound: outbound, llm: llm, judge: judge, accessPolicy: accessPolicy, database: database,
            knowledge: KnowledgeWiring.make(config: config, database: database, httpClient: http, logger: logger))
        // The HTTP clients must be shut down once created: each builder closes its own when a later step fails.
        return try await SchedulerWiring.whileBuilding(config: config, logger: logger) { hwa in
            try await assemble(base, hwa: hwa, config: config, registry: registry, logger: logger)
        }
    }

    private static func assemble(
        _ base: Foundations, hwa: SchedulerWiring, config: AppConfig, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) async throws -> AppDependencies {
        let (database, knowledge) = (base.database, base.knowledge)
        let agent = AgentWiring.makeAgent(
            scheduler: hwa.scheduler, knowledge: knowledge.knowledge, memories: knowledge.memories, llm: base.llm,
            config: config, logger: logger)
        let auditor = AuditorWiring.makeAuditor(
            memories: knowledge.memories, scheduler: hwa.scheduler, judge: base.judge, logger: logger)
        let readiness = [
            ReadinessCheck(name: "database") { try await database.ping() },
            hwa.readiness,
        ]
        let web = try await WebWiring.makeComponents(
            config: config, database: database,
            ports: WebPorts(
                scheduler: hwa.scheduler, knowledge: knowledge.knowledge, memories: knowledge.memories,
                feedback: WebWiring.makeFeedbackStore(database: database, memories: knowledge.memories, logger: logger),
                breakerState: hwa.breakerState),
            logger: logger)
        // Stopped in reverse order: the outbound client closes after every service that calls out.
        let services: [any Service] =
            [database, base.outbound] + hwa.services + [
                knowledge.watcher, AuditorWiring.makeService(auditor: auditor, config: config, logger: logger),
                web.poller,
            ]
        var dependencies = AppDependencies(
            config: config, database: database, registry: registry, readiness: readiness, services: services,
            logger: logger, scheduler: hwa.scheduler, knowledge: knowledge.knowledge, memories: knowledge.memories,
            agent: agent, web: web)
        let chat = try ChatWiring.makeChat(
            slack: config.slack, teams: config.teams, mattermost: config.mattermost, language: config.language,
            database: database,
            answering: AnsweredQuestionRecorder(answering: agent, memories: knowledge.memories, logger: logger),
            accessPolicy: base.accessPolicy, httpClient: base.outbound.client, memories: knowledge.memories,
            activity: web.bot, logger: logger)
        ChatWiring.attach(chat, to: &dependencies)
        try MonitorWiring.attach(to: &dependencies, diagnoser: agent, logger: logger)
        return dependencies
    }

    /// The router with every route and middleware; tests drive it directly with HummingbirdTesting.
    public static func buildRouter(_ dependencies: AppDependencies) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            SecurityHeadersMiddleware()
            LogRequestsMiddleware(.info)
            // Errors pass through the metrics before they become JSON bodies, so hb_request_errors counts them
            // (labelled by route template or "NotFound", method and status code: bounded). Hummingbird records no
            // duration for a thrown error; the request counter still has it under its status code.
            JSONErrorMiddleware()
            MetricsMiddleware()
            BodyLimitMiddleware()
        }
        if let web = dependencies.web { router.addWebAccessControl(web) }
        router.addHealthRoutes(readiness: dependencies.readiness, registry: dependencies.registry)
        router.addAgentRoutes(
            answering: dependencies.agent, scheduler: dependencies.scheduler,
            configuration: AgentWiring.configuration(dependencies.config), activity: dependencies.web?.bot,
            answers: dependencies.web?.feedback)
        if let chat = dependencies.chat { router.addSlackRoutes(chat) }
        if let chat = dependencies.chat { router.addTeamsRoutes(chat) }
        if let chat = dependencies.chat { router.addMattermostRoutes(chat) }
        if let web = dependencies.web { router.addWebRoutes(web) }
        return router
    }

    /// The application: HTTP server plus its peer services, with migrations run before it listens.
    public static func buildApplication(_ dependencies: AppDependencies) -> some ApplicationProtocol {
        let config = dependencies.config
        var app = Application(
            router: buildRouter(dependencies),
            configuration: .init(
                address: .hostname(config.http.host, port: config.http.port), serverName: "resync"),
            services: dependencies.services,
            logger: dependencies.logger)
        let database = dependencies.database
        app.beforeServerStarts {
            try await database.migrate()
        }
        if let web = dependencies.web { app.beforeServerStarts { try await web.auth.prepare() } }
        return app
    }
}
