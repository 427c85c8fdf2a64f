import Foundation
import ResyncCore

/// Credentials the simulator accepts. With none configured it answers without authentication.
public struct SimulatorCredentials: Sendable, Hashable {
    public var basic: [String: String]
    public var bearerTokens: Set<String>

    public init(basic: [String: String] = [:], bearerTokens: Set<String> = []) {
        self.basic = basic
        self.bearerTokens = bearerTokens
    }

    public var isOpen: Bool { basic.isEmpty && bearerTokens.isEmpty }
}

/// The simulated master's state: the scenario, the time origin of its events, active faults and counters.
public actor HWASimulator {
    public nonisolated let credentials: SimulatorCredentials
    private var scenario: SimulatorScenario
    private let timeSource: any TimeSource
    private let origin: Date
    private var faults: SimulatorFaults
    private var requests = 0
    private var requestsByPath: [String: Int] = [:]
    private var publicBaseURL = "http://127.0.0.1/twsd"

    public init(
        scenario: SimulatorScenario, credentials: SimulatorCredentials = SimulatorCredentials(),
        faults: SimulatorFaults = .none, timeSource: any TimeSource = SystemTimeSource()
    ) {
        self.scenario = scenario
        self.credentials = credentials
        self.faults = faults
        self.timeSource = timeSource
        self.origin = timeSource.now()
    }

    /// API requests received so far (admin endpoints excluded).
    public func requestCount() -> Int { requests }

    public func requestCounts() -> [String: Int] { requestsByPath }

    public func resetRequestCount() {
        requests = 0
        requestsByPath = [:]
    }

    public func currentFaults() -> SimulatorFaults { faults }

    public func setFaults(_ faults: SimulatorFaults) { self.faults = faults }

    public func replaceScenario(_ scenario: SimulatorScenario) { self.scenario = scenario }

    func setPublicBaseURL(_ url: String) { publicBaseURL = url }

    func baseURL() -> String { publicBaseURL }

    /// The plan at this instant, with due events applied.
    func plan() -> SimulatorPlan {
        SimulatorPlan(scenario: scenario, origin: origin, now: timeSource.now())
    }

    /// Counts the request and decides which fault, if any, it meets.
    func admit(path: String) -> FaultDecision {
        requests += 1
        requestsByPath[Self.template(of: path), default: 0] += 1
        let delay = faults.latencyMs + (faults.latencyJitterMs > 0 ? Int.random(in: 0...faults.latencyJitterMs) : 0)
        if !scenario.connectionStatus { return .fail(status: 503, delayMs: delay) }
        if faults.hangNext > 0 {
            faults.hangNext -= 1
            return .hang(seconds: faults.hangSeconds, delayMs: delay)
        }
        if faults.hang { return .hang(seconds: faults.hangSeconds, delayMs: delay) }
        if faults.unauthorized { return .unauthorized(delayMs: delay) }
        if faults.rateLimitNext > 0 {
            faults.rateLimitNext -= 1
            return .rateLimit(retryAfter: faults.retryAfterSeconds, delayMs: delay)
        }
        if faults.failNext > 0 {
            faults.failNext -= 1
            return .fail(status: faults.errorStatus, delayMs: delay)
        }
        if faults.errorRate > 0, Double.random(in: 0..<1) < faults.errorRate {
            return .fail(status: faults.errorStatus, delayMs: delay)
        }
        return .proceed(delayMs: delay, truncate: faults.truncateBodies)
    }

    /// Groups ids so the per-path counters stay small: `/api/v2/plan/job/{id}`.
    static func template(of path: String) -> String {
        path.split(separator: "/").map { segment in
            segment.count >= 32 && segment.contains("-") ? "{id}" : String(segment)
        }.joined(separator: "/")
    }
}
