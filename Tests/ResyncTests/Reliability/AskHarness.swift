import Agent
import AsyncHTTPClient
import Foundation
import HWA
import HWASimulator
import Hummingbird
import HummingbirdTesting
import LLM
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The real application (router, middleware, `POST /api/ask`, the agent) over a real HWA client that calls the
/// HWA simulator over loopback HTTP — and, in LLM mode, a real OpenAI-compatible client calling a fake model
/// server — with the HWA password and the LLM key set to canaries and every log line captured.
///
/// Timeouts are shorter than production's so a fault case takes seconds; the relations between them are
/// production's: HWA request timeout < HWA operation deadline < the agent's answer deadline.
struct AskHarness: Sendable {
    static let hwaUser = "resync_ro"
    static let hwaPassword = "canary-hwa-password-3e9b"
    static let llmKey = "canary-llm-key-c41f"
    static let model = "ollama/llama3.1"
    static let answerDeadline: Duration = .seconds(3)
    static let requestTimeout: Duration = .milliseconds(1_500)
    static let operationDeadline: Duration = .milliseconds(2_500)
    static let breaker = HWABreakerPolicy(failureThreshold: 5, coolDown: .seconds(2))
    static let llmLimits = LLMLimits(maxIterations: 3, perCallTimeout: .seconds(1), overallTimeout: .seconds(2))
    static let job = "PAYROLL_FINAL"

    /// One question asked over HTTP and what came back.
    struct Asked: Sendable {
        var status: Int
        var answer: Answer?
        var body: String
        var elapsed: Duration
    }

    let simulator: HWASimulator
    let hwa: HWAClient
    let port: Int
    let logs: CapturedLogs

    /// Runs the application while `body` runs; `llmBaseURL` turns LLM mode on.
    static func run<T: Sendable>(
        llmBaseURL: String? = nil, _ body: @escaping @Sendable (AskHarness) async throws -> T
    ) async throws -> T {
        let logs = CapturedLogs()
        let credentials = SimulatorCredentials(basic: [hwaUser: hwaPassword])
        return try await withHWASimulator(scenario: try SimulatorScenarios.defaultScenario(), credentials: credentials)
        {
            simulator, url in
            let logger = logs.logger(label: "test.reliability")
            let hwa = try HWAClient(
                configuration: HWAClientConfiguration(
                    baseURL: url, authentication: .basic(user: hwaUser, password: Secret(hwaPassword)),
                    requestTimeout: requestTimeout, operationDeadline: operationDeadline,
                    retry: HWARetryPolicy(
                        maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(400),
                        maxRetryAfter: .seconds(2)),
                    breaker: breaker, cacheTTLs: .disabled),
                logger: logger)
            let dependencies = try await makeDependencies(hwa: hwa, llmBaseURL: llmBaseURL, logger: logger)
            return try await ResyncApplication.buildApplication(dependencies).test(.live) { client in
                let port = try #require(client.port)
                return try await body(AskHarness(simulator: simulator, hwa: hwa, port: port, logs: logs))
            }
        }
    }

    static func makeDependencies(hwa: HWAClient, llmBaseURL: String?, logger: Logger) async throws -> AppDependencies {
        guard case .sqlite(let path) = try await TestDatabases.makeLocation(.sqlite) else { throw CancellationError() }
        let config = try AppConfig.load(environment: [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite://\(path)",
        ])
        let database = try AppDatabase(location: config.database, logger: logger)
        let llm = try llmBaseURL.map { baseURL in
            OpenAICompatibleClient(
                route: try LLMProviderRoute.resolve(modelName: model, endpoint: baseURL, apiKey: Secret(llmKey)),
                logger: logger)
        }
        let agent = Agent(
            scheduler: hwa, knowledge: FakeKnowledgeStore(entries: AgentFixtures.knowledge),
            memories: FakeMemoryStore(), llm: llm,
            configuration: AgentConfiguration(
                defaultLanguage: .english, answerDeadline: answerDeadline, model: llm == nil ? nil : model,
                llmLimits: llmLimits),
            logger: logger)
        return AppDependencies(
            config: config, database: database, registry: TestMetrics.registry,
            readiness: [ReadinessCheck(name: "hwa") { try await hwa.checkReadiness() }],
            services: [database, hwa], logger: logger, scheduler: hwa, agent: agent)
    }

    /// Asks over a real HTTP connection (so several questions can be in flight at once).
    func ask(_ question: String = "status \(AskHarness.job)") async throws -> Asked {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/ask")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"question": "\#(question)", "language": "en"}"#))
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let elapsed = clock.now - started
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let answer = try? decoder.decode(Answer.self, from: Data(bytes.readableBytesView))
        return Asked(status: Int(response.status.code), answer: answer, body: String(buffer: bytes), elapsed: elapsed)
    }

    /// `count` questions, at most `concurrency` in flight.
    func askMany(_ count: Int, concurrency: Int) async throws -> [Asked] {
        try await withThrowingTaskGroup(of: Asked.self) { group in
            var asked: [Asked] = []
            for index in 0..<count {
                if index >= concurrency, let done = try await group.next() { asked.append(done) }
                group.addTask { try await self.ask() }
            }
            for try await done in group { asked.append(done) }
            return asked
        }
    }

    /// Canaries found in the captured logs, the metrics or `bodies` (empty when nothing leaked).
    func leaks(in bodies: [String]) -> [String] {
        // An empty capture would make "no canary in the logs" meaningless.
        guard logs.text.contains("answered") else { return ["(no agent log lines were captured)"] }
        let outputs = [logs.text, TestMetrics.exposition()] + bodies
        return [Self.hwaPassword, Self.llmKey].filter { canary in outputs.contains { $0.contains(canary) } }
    }
}

extension AskHarness.Asked {
    /// Answered (one answer, 200) within the agent's deadline, as the agent measured it.
    var answeredInTime: Bool {
        guard status == 200, let elapsed = answer?.elapsedMilliseconds else { return false }
        return elapsed <= Double(AskHarness.answerDeadline.milliseconds) + 200
    }

    /// Live status read from HWA now, showing the job's failed run (RC 12 in the sample plan).
    var isLive: Bool {
        guard case .live = answer?.liveStatus?.freshness else { return false }
        return unavailableReason == nil && answer?.liveStatus?.jobs.first?.job.lastRun?.returnCode == 12
    }

    var unavailableReason: String? {
        answer?.notices.lazy.compactMap { notice -> String? in
            if case .schedulerUnavailable(let reason, _) = notice { return reason }
            return nil
        }.first
    }

    /// Marked unavailable, with the last good read of the job shown and dated.
    var isStaleWithLastGood: Bool {
        guard case .unavailable(_, let lastGood)? = answer?.liveStatus?.freshness, lastGood != nil else { return false }
        return unavailableReason != nil && answer?.liveStatus?.jobs.first?.job.name == AskHarness.job
    }

    var fellBackFromLLM: Bool {
        answer?.notices.contains { if case .llmFallback = $0 { true } else { false } } ?? false
    }
}
