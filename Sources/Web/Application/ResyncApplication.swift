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
    public var readiness: [ReadinessCheck]
    /// Long-running peers of the HTTP server: database pool, pollers, workers.
    public var services: [any Service]
    public var logger: Logger
    /// Login, dashboard, web chat and docs (see WebWiring.swift).
    public var web: WebComponents?

    public init(
        config: AppConfig, database: AppDatabase, registry: PrometheusCollectorRegistry,
        readiness: [ReadinessCheck], services: [any Service], logger: Logger, web: WebComponents? = nil
    ) {
        self.config = config
        self.database = database
        self.registry = registry
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
        let database = try AppDatabase(location: config.database, logger: logger)
        let readiness = [
            ReadinessCheck(name: "database") { try await database.ping() }
        ]
        let web = try await WebWiring.makeComponents(
            config: config, database: database, ports: WebPorts(), logger: logger)
        return AppDependencies(
            config: config, database: database, registry: registry, readiness: readiness,
            services: [database, web.poller], logger: logger, web: web)
    }

    /// The router with every route and middleware; tests drive it directly with HummingbirdTesting.
    public static func buildRouter(_ dependencies: AppDependencies) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            SecurityHeadersMiddleware()
            LogRequestsMiddleware(.info)
            MetricsMiddleware()
            JSONErrorMiddleware()
            BodyLimitMiddleware()
        }
        if let web = dependencies.web { router.addWebAccessControl(web) }
        router.addHealthRoutes(readiness: dependencies.readiness, registry: dependencies.registry)
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
