import Agent
import Foundation
import HWA
import HWASimulator
import Logging
import ResyncCore
import ServiceLifecycle

/// How the composition root reaches HWA: the real client, pointed either at the configured master or, in
/// mock mode, at an embedded simulator on 127.0.0.1 over loopback HTTP (the same code path as production).
struct SchedulerWiring {
    var scheduler: any SchedulerAPI
    /// In start order: the simulator (mock mode) before the client that calls it.
    var services: [any Service]
    var readiness: ReadinessCheck
    /// The client's circuit-breaker state for the dashboard ("closed", "open", "half-open").
    var breakerState: @Sendable () async -> String?
    /// Closes the client's connection pool; its service does it on stop. Safe to call more than once.
    var shutdown: @Sendable () async -> Void

    static func make(config: AppConfig, logger: Logger) throws -> SchedulerWiring {
        config.hwa.mockMode ? try mock(config: config, logger: logger) : try real(config: config, logger: logger)
    }

    /// Makes the HWA wiring and hands it to `build`; if `build` throws (a configuration error found later, such as
    /// an unreadable monitor rules file), the client is shut down before the error goes up. A client released
    /// without shutdown stops a debug build with AsyncHTTPClient's "Client not shut down" instead of the error.
    static func whileBuilding<T>(
        config: AppConfig, logger: Logger, _ build: (SchedulerWiring) async throws -> T
    ) async throws -> T {
        let hwa = try make(config: config, logger: logger)
        do {
            return try await build(hwa)
        } catch {
            await hwa.shutdown()
            throw error
        }
    }

    /// HWA calls must give up before the agent stops waiting for them. A call the agent abandons at its answer
    /// deadline is not a failure to the circuit breaker (the caller went away), so with the client's own bounds
    /// (10 s per request, 25 s per operation) above the agent's 8 s, a hung HWA never opened the breaker and
    /// every question waited the whole deadline and sent HWA one more request. One second short of the answer
    /// deadline, the operation times out as a failure and the breaker opens after its threshold.
    static func timeouts(answerDeadline: Duration) -> (request: Duration, operation: Duration) {
        let operation = max(answerDeadline - .seconds(1), answerDeadline * 0.8)
        return (request: operation * 0.7, operation: operation)
    }

    static func clientConfiguration(
        config: AppConfig, endpoint: HWAEndpoint, authentication: HWAAuthentication
    ) -> HWAClientConfiguration {
        let bounds = timeouts(answerDeadline: AgentWiring.configuration(config).answerDeadline)
        return HWAClientConfiguration(
            endpoint: endpoint, authentication: authentication, verifyTLS: config.hwa.verifyTLS,
            caFile: config.hwa.caFile, allowPlainHTTP: config.environment == .development,
            requestTimeout: bounds.request, operationDeadline: bounds.operation)
    }

    /// The simulator binds an ephemeral port when its service starts; the client learns the URL then
    /// (`HWAEndpoint.deferred`), so nothing here waits and no port is guessed.
    static func mock(config: AppConfig, logger: Logger) throws -> SchedulerWiring {
        let scenario = try SimulatorScenario.load(path: config.hwa.mockDataPath)
        // Credentials for this process only: the loopback simulator still checks them, as HWA would.
        let user = config.hwa.user ?? "resync"
        let password = Secret(UUID().uuidString)
        let simulator = HWASimulator(
            scenario: scenario, credentials: SimulatorCredentials(basic: [user: password.value]))
        let server = HWASimulatorServer(
            simulator: simulator, host: "127.0.0.1", port: 0, logger: Logger(label: "resync.hwa-simulator"))
        var configuration = clientConfiguration(
            config: config, endpoint: .deferred { try await server.baseURL() },
            authentication: .basic(user: user, password: password))
        // The TLS settings are meant for the real master, not for the simulator on loopback.
        configuration.verifyTLS = true
        configuration.caFile = nil
        configuration.allowPlainHTTP = false
        let client = try HWAClient(configuration: configuration, logger: logger.with(label: "resync.hwa"))
        logger.info("HWA mock mode: embedded simulator", metadata: ["scenario": "\(config.hwa.mockDataPath)"])
        return SchedulerWiring(
            scheduler: client, services: [server, client],
            readiness: ReadinessCheck(name: "hwa") { try await client.checkReadiness() },
            breakerState: { await client.breakerState().rawValue }, shutdown: { try? await client.shutdown() })
    }

    static func real(config: AppConfig, logger: Logger) throws -> SchedulerWiring {
        let authentication: HWAAuthentication
        if let apiKey = config.hwa.apiKey, !apiKey.isEmpty {
            authentication = .bearer(apiKey)
        } else if let user = config.hwa.user, let password = config.hwa.password {
            authentication = .basic(user: user, password: password)
        } else {
            throw SchedulerError.unauthorized
        }
        let client = try HWAClient(
            configuration: clientConfiguration(
                config: config, endpoint: .fixed(config.hwa.baseURL), authentication: authentication),
            logger: logger.with(label: "resync.hwa"))
        return SchedulerWiring(
            scheduler: client, services: [client],
            readiness: ReadinessCheck(name: "hwa") { try await client.checkReadiness() },
            breakerState: { await client.breakerState().rawValue }, shutdown: { try? await client.shutdown() })
    }
}

/// The scheduler of an `AppDependencies` built without one (route tests with no HWA): every call says so.
public struct UnconfiguredScheduler: SchedulerAPI {
    public init() {}

    private var error: SchedulerError { .unreachable("no HWA connection is configured in this process") }

    public func jobs(matching filter: JobFilter) async throws -> [Job] { throw error }
    public func job(id: String) async throws -> Job { throw error }
    public func jobStreams(named name: String, limit: Int) async throws -> [JobStream] { throw error }
    public func workstations() async throws -> [Workstation] { throw error }
    public func engineInfo() async throws -> EngineInfo { throw error }
    public func jobCounts() async throws -> [CommonStatus: Int] { throw error }
    public func jobLog(runID: String, tail: Int) async throws -> JobLog { throw error }
}

extension Logger {
    fileprivate func with(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
