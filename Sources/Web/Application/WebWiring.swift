import Foundation
import Hummingbird
import Logging
import ResyncCore
import Storage

/// The ports the web side reads; the composition root passes the real adapters, tests pass fakes.
public struct WebPorts: Sendable {
    public var scheduler: (any SchedulerAPI)?
    public var knowledge: (any KnowledgeStore)?
    /// The memories the review page curates.
    public var memories: (any MemoryStore)?
    /// Where web chat 👍/👎 are stored (the auditor's feedback store); nil counts them on the dashboard only.
    public var feedback: (any WebFeedbackRecording)?
    /// The HWA client's circuit-breaker state, when it exposes one.
    public var breakerState: (@Sendable () async -> String?)?
    public var time: any TimeSource

    public init(
        scheduler: (any SchedulerAPI)? = nil, knowledge: (any KnowledgeStore)? = nil,
        memories: (any MemoryStore)? = nil, feedback: (any WebFeedbackRecording)? = nil,
        breakerState: (@Sendable () async -> String?)? = nil, time: any TimeSource = SystemTimeSource()
    ) {
        self.scheduler = scheduler
        self.knowledge = knowledge
        self.memories = memories
        self.feedback = feedback
        self.breakerState = breakerState
        self.time = time
    }
}

/// Tunables of the web side, with production defaults; tests shorten them.
public struct WebSettings: Sendable {
    public var pollInterval: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(15)
    public var maxStreams: Int = 1_000
    public var streamBuffer: Int = 16
    public var failureWindowHours: Int = 6
    /// Replaces the login configuration derived from `AppConfig` (tests add viewers, lower the bcrypt cost).
    public var authOverride: WebAuthConfiguration?

    public init() {}
}

/// Everything the web side needs at run time, built once.
public struct WebComponents: Sendable {
    public let auth: WebAuth
    public let templates: WebTemplates
    public let hub: DashboardHub
    public let poller: DashboardPoller
    /// The monitor records alerts and recoveries here.
    public let alerts: AlertActivityLog
    /// The chat core and the agent record answers and feedback here.
    public let bot: BotActivityMeter
    public let accessPolicy: AccessPolicy
    let metricsToken: Secret?
    let apiToken: Secret?
    /// The memories the review page and `/api/memories` curate; nil leaves those routes out.
    public var memories: (any MemoryStore)?
    let feedback: (any WebFeedbackRecording)?
    let language: Language
    let time: any TimeSource
}

public enum WebWiring {
    /// Loads templates, prepares login and the dashboard's poller. Call `auth.prepare()` after migrations.
    public static func makeComponents(
        config: AppConfig, database: AppDatabase, ports: WebPorts, settings: WebSettings = WebSettings(),
        logger: Logger
    ) async throws -> WebComponents {
        let templates = try await WebTemplates.load()
        let auth = WebAuth(
            configuration: settings.authOverride ?? .from(config), database: database, time: ports.time, logger: logger)
        let alerts = AlertActivityLog()
        let bot = BotActivityMeter()
        let sources = DashboardSources(
            scheduler: ports.scheduler, knowledge: ports.knowledge, alerts: alerts, bot: bot,
            breakerState: ports.breakerState, time: ports.time, failureWindowHours: settings.failureWindowHours)
        let renderer = DashboardRenderer(templates: templates)
        let initial = DashboardSnapshot.initial(at: ports.time.now(), failureWindowHours: settings.failureWindowHours)
        let hub = DashboardHub(
            initial: DashboardFrame(id: "start", snapshot: initial, fragments: renderer.fragments(for: initial)),
            maxClients: settings.maxStreams, clientBuffer: settings.streamBuffer)
        let poller = DashboardPoller(
            collector: DashboardCollector(sources: sources), hub: hub, renderer: renderer,
            interval: settings.pollInterval, heartbeatInterval: settings.heartbeatInterval, logger: logger,
            housekeeping: {
                _ = try await auth.purgeExpiredSessions()
                let retention = Double(WebChatRoutes.answerRetentionDays * 86_400)
                try await ports.feedback?.forgetAnswers(before: ports.time.now().addingTimeInterval(-retention))
            })
        return WebComponents(
            auth: auth, templates: templates, hub: hub, poller: poller, alerts: alerts, bot: bot,
            accessPolicy: .standard, metricsToken: config.metricsToken, apiToken: config.apiToken,
            memories: ports.memories, feedback: ports.feedback,
            language: config.language, time: ports.time)
    }
}

extension WebWiring {
    /// Web chat votes stored like the chat platforms' (`chat_feedback`, platform `web`), reaching the answer's
    /// memory when it has one, and accepted only for answers `/api/ask` gave.
    public static func makeFeedbackStore(
        database: AppDatabase, memories: any MemoryStore, logger: Logger
    ) -> SQLWebFeedbackStore {
        let stored = SQLAnswerFeedbackStore(database: database)
        return SQLWebFeedbackStore(
            database: database, feedback: MemoryFeedbackForwarder(store: stored, memories: memories, logger: logger))
    }
}

extension Router where Context == AppRequestContext {
    /// Login enforcement for every route registered after this call: metrics token, session, access policy, CSRF.
    public func addWebAccessControl(_ web: WebComponents) {
        add(middleware: MetricsTokenMiddleware(token: web.metricsToken?.value))
        add(middleware: SessionAuthenticator(auth: web.auth, apiToken: web.apiToken?.value))
        add(middleware: RequireLoginMiddleware(policy: web.accessPolicy))
        add(middleware: CSRFMiddleware())
    }

    /// Login, dashboard, web chat, docs and static files.
    public func addWebRoutes(_ web: WebComponents) {
        AuthRoutes(auth: web.auth, templates: web.templates, defaultLanguage: web.language).register(on: self)
        DashboardRoutes(
            hub: web.hub, renderer: DashboardRenderer(templates: web.templates), defaultLanguage: web.language
        )
        .register(on: self)
        WebChatRoutes(
            templates: web.templates, defaultLanguage: web.language, feedback: web.feedback, bot: web.bot,
            time: web.time
        ).register(on: self)
        DocsRoutes(templates: web.templates, defaultLanguage: web.language).register(on: self)
        DashboardStaticRoutes(templates: web.templates).register(on: self)
        if let memories = web.memories {
            let curator = MemoryCurator(memories: memories, time: web.time)
            ReviewRoutes(curator: curator, templates: web.templates, defaultLanguage: web.language).register(on: self)
            MemoryAPIRoutes(curator: curator).register(on: self)
        }
    }
}
