import ArgumentParser
import Foundation
import HWASimulator
import Logging
import Metrics
import Prometheus
import ResyncCore

struct MockHWA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-hwa",
        abstract: "Run the HWA REST API V2 simulator on its own.",
        discussion: """
            Serves /twsd/api/v2/... from a scenario file. Faults can also be changed while it runs:
            curl -X PUT http://127.0.0.1:<port>/__simulator/faults -d '{"failNext": 3}'
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 = any free port).") var port = 9443
    @Option(help: "Scenario file (default: $TWS_MOCK_DATA or Config/mock_tws_data.json).") var scenario: String?
    @Option(help: "Accept HTTP Basic for this user (with --password or $TWS_PASSWORD).") var user: String?
    @Option(help: "Password for --user (prefer $TWS_PASSWORD: arguments show in ps).") var password: String?
    @Option(help: "Accept this API key as a Bearer token (prefer $TWS_API_KEY).") var apiKey: String?
    @Option(help: "Added latency per request, in milliseconds.") var latencyMs = 0
    @Option(help: "Extra uniform random latency 0...N ms.") var latencyJitterMs = 0
    @Option(help: "Fraction of requests (0...1) answered with --error-status.") var errorRate = 0.0
    @Option(help: "HTTP status for injected errors.") var errorStatus = 503
    @Option(help: "Answer the next N requests with 429 and Retry-After.") var rateLimitNext = 0
    @Option(help: "Retry-After seconds sent with 429.") var retryAfter = 1
    @Flag(help: "Answer every request with 401.") var unauthorized = false
    @Flag(help: "Never answer (hang for --hang-seconds).") var hang = false
    @Option(help: "How long a hung request waits before a 504.") var hangSeconds = 30.0
    @Flag(help: "Cut JSON bodies in half.") var truncateBodies = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = scenario ?? environment["TWS_MOCK_DATA"] ?? "Config/mock_tws_data.json"
        let scenario = try SimulatorScenario.load(path: path)
        var basic: [String: String] = [:]
        if let user = user ?? environment["TWS_USER"], let password = password ?? environment["TWS_PASSWORD"] {
            basic[user] = password
        }
        let tokens = Set([apiKey ?? environment["TWS_API_KEY"]].compactMap { $0 })
        let faults = SimulatorFaults(
            latencyMs: latencyMs, latencyJitterMs: latencyJitterMs, errorRate: errorRate, errorStatus: errorStatus,
            rateLimitNext: rateLimitNext, retryAfterSeconds: retryAfter, unauthorized: unauthorized, hang: hang,
            hangSeconds: hangSeconds, truncateBodies: truncateBodies)
        Bootstrap.once(registry: PrometheusCollectorRegistry(), level: try loadLogLevelOrExit() ?? .info)
        let logger = Bootstrap.logger(label: "resync.mock-hwa")
        let credentials = SimulatorCredentials(basic: basic, bearerTokens: tokens)
        if credentials.isOpen {
            logger.warning("no credentials configured: the simulator accepts every request (set --user/TWS_USER)")
        }
        let simulator = HWASimulator(scenario: scenario, credentials: credentials, faults: faults)
        let server = HWASimulatorServer(simulator: simulator, host: host, port: port, logger: logger)
        try await server.runUntilSignalled()
    }
}
