import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ResyncCore
import Storage
import Web

/// Process-wide set-up that must happen exactly once: logging and metrics backends. It runs after the
/// configuration is read (`LOG_LEVEL` is part of it), so configuration errors are written to standard error
/// directly, never through a logger.
enum Bootstrap {
    static func once(registry: PrometheusCollectorRegistry, level: Logger.Level) {
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level) }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    static func logger(label: String) -> Logger {
        Logger(label: label)
    }
}

/// Reads the configuration; on error prints one line per problem to standard error and exits 2.
func loadConfigOrExit() async throws -> AppConfig {
    do {
        return try await AppConfig.fromEnvironment()
    } catch let error as ConfigError {
        try exitOnConfigError(error)
    }
}

/// Prints a configuration error, one line per problem, to standard error (never through a logger, which may not
/// be set up yet) and exits with status 2.
func exitOnConfigError(_ error: ConfigError) throws -> Never {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    throw ExitCode(2)
}

/// `LOG_LEVEL` alone (environment over `.env`) for commands that need no other setting; exits 2 like
/// `loadConfigOrExit` when it is wrong.
func loadLogLevelOrExit() throws -> Logger.Level? {
    do {
        return try AppConfig.logLevelFromEnvironment()
    } catch let error as ConfigError {
        try exitOnConfigError(error)
    }
}

/// For subcommands whose capability is not built yet: say so plainly and fail.
func notAvailableYet(_ what: String) throws -> Never {
    FileHandle.standardError.write(Data("resync: \(what) is not available yet in this build\n".utf8))
    throw ExitCode(3)
}

/// For one-shot commands: reads the configuration, opens DATABASE_URL (running its pool while `body`
/// runs) and migrates it. Logs stay at warning unless LOG_LEVEL says otherwise.
func withOpenDatabase(
    label: String, _ body: @Sendable (AppConfig, AppDatabase, Logger) async throws -> Void
) async throws {
    let config = try await loadConfigOrExit()
    Bootstrap.once(registry: PrometheusCollectorRegistry(), level: config.logLevel ?? .info)
    var logger = Bootstrap.logger(label: label)
    if config.logLevel == nil { logger.logLevel = .warning }
    let database = try AppDatabase(location: config.database, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await database.run() }
        defer { group.cancelAll() }
        try await database.migrate()
        try await body(config, database, logger)
    }
}
