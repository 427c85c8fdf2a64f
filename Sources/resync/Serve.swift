import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import Storage
import Web

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Resync server (web, chat webhooks, monitor, auditor).")

    @Flag(help: "Print the effective configuration (secrets masked) before starting.")
    var printConfig = false

    func run() async throws {
        let config = try await loadConfigOrExit()
        if let problem = await ListenAddressCheck.problem(host: config.http.host, port: config.http.port) {
            try exitOnConfigError(ConfigError(problems: [problem]))
        }
        let registry = PrometheusCollectorRegistry()
        Bootstrap.once(registry: registry, level: config.logLevel ?? .info)
        let logger = Bootstrap.logger(label: "resync")
        if printConfig {
            config.redactedLines.forEach { print($0) }
        }
        logger.info(
            "starting",
            metadata: [
                "environment": "\(config.environment.rawValue)", "mock_mode": "\(config.hwa.mockMode)",
                "database": "\(config.database.redactedDescription)",
            ])
        let dependencies = try await ResyncApplication.makeDependencies(
            config: config, registry: registry, logger: logger)
        let app = ResyncApplication.buildApplication(dependencies)
        // runService installs SIGTERM/SIGINT handlers: in-flight requests finish, then services stop in reverse order.
        do {
            try await app.runService()
        } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
            // Taken between the check and the start: still named, not NIO's "bind(descriptor:ptr:bytes:)".
            let problem = ListenAddressCheck.problem(
                errno: error.errnoCode, host: config.http.host, port: config.http.port)
            try exitOnConfigError(ConfigError(problems: [problem]))
        }
    }
}
