import Foundation
import HWA
import HWASimulator
import Logging
import ResyncCore

/// A clock tests move by hand, for the simulator's time-driven events.
public final class SimulatorTestClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    /// Sleeping is real (short) so retry loops still yield; tests advance the clock explicitly.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Test credentials shared by the simulator and the client in these tests.
public enum SimulatorTestAuth {
    public static let user = "resync_ro"
    public static let password = Secret("pw-\(UUID().uuidString)")
    public static let apiKey = Secret("key-\(UUID().uuidString)")
    public static let credentials = SimulatorCredentials(
        basic: [user: password.value], bearerTokens: [apiKey.value])
    public static let basic = HWAAuthentication.basic(user: user, password: password)
}

/// The repository's `Config/mock_tws_data.json`, found from this file's location.
public enum SimulatorScenarios {
    public static var defaultScenarioPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Config/mock_tws_data.json")
            .path
    }

    public static func defaultScenario() throws -> SimulatorScenario {
        try SimulatorScenario.load(path: defaultScenarioPath)
    }

    /// `count` jobs named `PAGE_JOB_0001`… in one stream, for paging tests.
    public static func manyJobs(_ count: Int) -> SimulatorScenario {
        let jobs = (1...count).map { index in
            SimulatorScenario.Job(
                name: String(format: "PAGE_JOB_%04d", index), workstation: "AGENT1", jobStream: "BULK",
                runs: [.init(status: "SUCC", returnCode: 0, startedMinutesAgo: 10, durationMinutes: 1)])
        }
        return SimulatorScenario(
            workstations: [.init(name: "AGENT1", states: ["LINKED", "RUNNING", "JOBMAN_UP"])],
            jobStreams: [.init(name: "BULK", workstation: "AGENT1")], jobs: jobs)
    }
}

/// Runs an HWA simulator on 127.0.0.1 (ephemeral port) for the duration of `body`.
@discardableResult
public func withHWASimulator<T: Sendable>(
    scenario: SimulatorScenario, credentials: SimulatorCredentials = SimulatorTestAuth.credentials,
    faults: SimulatorFaults = .none, timeSource: any TimeSource = SystemTimeSource(),
    _ body: @Sendable (HWASimulator, String) async throws -> T
) async throws -> T {
    let simulator = HWASimulator(scenario: scenario, credentials: credentials, faults: faults, timeSource: timeSource)
    var logger = Logger(label: "test.hwa-simulator")
    logger.logLevel = .warning
    let server = HWASimulatorServer(simulator: simulator, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        defer { group.cancelAll() }
        // A readiness wait, not a figure under test: at the start of a CI run, ~400 tests share 2 cores, and the
        // suite that starts the most simulators has taken 18-29 s (one start passed 15 s).
        let url = try await server.baseURL(timeout: .seconds(60))
        return try await body(simulator, url)
    }
}

/// An `HWAClient` for `baseURL`, shut down after `body` whatever happens.
@discardableResult
public func withHWAClient<T: Sendable>(
    baseURL: String, authentication: HWAAuthentication = SimulatorTestAuth.basic,
    configure: (inout HWAClientConfiguration) -> Void = { _ in }, timeSource: any TimeSource = SystemTimeSource(),
    logger: Logger? = nil, _ body: @Sendable (HWAClient) async throws -> T
) async throws -> T {
    var configuration = HWAClientConfiguration(
        baseURL: baseURL, authentication: authentication, requestTimeout: .seconds(5),
        operationDeadline: .seconds(10),
        retry: HWARetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
    configure(&configuration)
    var quiet = Logger(label: "test.hwa-client")
    quiet.logLevel = .warning
    let client = try HWAClient(configuration: configuration, timeSource: timeSource, logger: logger ?? quiet)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
