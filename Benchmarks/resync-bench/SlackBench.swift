import ArgumentParser
import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import ResyncCore
import Storage
import Web

/// `resync-bench slack`: signed `/slack/commands` acknowledgements against `/healthz` on the same server.
/// The app runs in this process as an ingest-only replica (verify, dedupe, enqueue, ack), on a fresh
/// SQLite file; a load loop of concurrent HTTP/1.1 clients measures throughput and latency percentiles.
struct SlackBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slack", abstract: "Slack slash-command ack throughput and p99 latency vs /healthz.")

    @Option(help: "Port for the server under test.") var port = 18_091
    @Option(help: "Concurrent clients.") var concurrency = 32
    @Option(help: "Seconds per measured endpoint.") var seconds = 10

    static let secret = Secret("bench-signing-secret")

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-bench-\(UUID().uuidString)")
        let config = try AppConfig.load(environment: [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": String(port),
            "DATABASE_URL": "sqlite://\(folder.appendingPathComponent("bench.sqlite").path)",
            "SLACK_SIGNING_SECRET": Self.secret.value, "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_API_BASE_URL": "http://127.0.0.1:9/api",
        ])
        var logger = Logger(label: "bench.slack")
        // Stopping the server at the end logs cancellation noise at error level.
        logger.logLevel = .critical
        let database = try AppDatabase(location: config.database, logger: logger)
        var dependencies = AppDependencies(
            config: config, database: database, registry: PrometheusCollectorRegistry(), readiness: [],
            services: [database], logger: logger)
        let chat = try ChatWiring.makeChat(
            slack: config.slack, database: database, answering: CannedAnswering(), accessPolicy: .allowAll,
            options: .init(runProcessor: false, runOutboxWorker: false), httpClient: .shared, logger: logger)
        ChatWiring.attach(chat, to: &dependencies)
        let app = ResyncApplication.buildApplication(dependencies)
        let base = "http://127.0.0.1:\(port)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            try await waitUntilUp(base + "/healthz")
            _ = try await load(label: "warm-up", seconds: 2) { try await healthz(base) }
            let health = try await load(label: "/healthz", seconds: seconds) { try await healthz(base) }
            let slack = try await load(label: "/slack/commands", seconds: seconds) { try await command(base) }
            print("| endpoint | requests/s | p50 ms | p99 ms | errors |")
            print("|---|---|---|---|---|")
            for result in [health, slack] { print(result.row) }
            print(
                String(
                    format: "\nratio /slack/commands ÷ /healthz throughput: %.2f (target ≥ 0.5)",
                    slack.throughput / health.throughput))
        }
        try? FileManager.default.removeItem(at: folder)
    }

    func waitUntilUp(_ url: String) async throws {
        for _ in 0..<100 {
            if (try? await healthz(url.replacingOccurrences(of: "/healthz", with: ""))) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the server did not start on port \(port)")
    }

    func healthz(_ base: String) async throws -> Bool {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }

    func command(_ base: String) async throws -> Bool {
        let body =
            "team_id=T1&channel_id=C1&user_id=U1&command=%2Fresync&text=status+PAYROLL_FINAL"
            + "&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fhooks%2F1&trigger_id=\(UUID().uuidString)"
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: base + "/slack/commands")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "X-Slack-Request-Timestamp", value: timestamp)
        request.headers.add(
            name: "X-Slack-Signature",
            value: SlackSignatureVerifier.signature(secret: Self.secret, timestamp: timestamp, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }

    struct Result {
        var label: String
        var throughput: Double
        var p50: Double
        var p99: Double
        var errors: Int

        var row: String {
            String(format: "| %@ | %.0f | %.2f | %.2f | %d |", label, throughput, p50, p99, errors)
        }
    }

    /// Runs `concurrency` loops of `call` for `seconds`; latencies in milliseconds.
    func load(label: String, seconds: Int, _ call: @escaping @Sendable () async throws -> Bool) async throws -> Result {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        let started = clock.now
        let perWorker = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while clock.now < end {
                        let begin = clock.now
                        let ok = (try? await call()) ?? false
                        let elapsed = clock.now - begin
                        latencies.append(elapsed.inMilliseconds)
                        if !ok { errors += 1 }
                    }
                    return (latencies, errors)
                }
            }
            return try await group.reduce(into: [([Double], Int)]()) { $0.append($1) }
        }
        let duration = clock.now - started
        let wall = duration.inSeconds
        let latencies = perWorker.flatMap(\.0).sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return Result(
            label: label, throughput: Double(latencies.count) / wall, p50: percentile(0.5), p99: percentile(0.99),
            errors: perWorker.map(\.1).reduce(0, +))
    }
}

/// The processor does not run in the benchmark; this satisfies the wiring.
struct CannedAnswering: QuestionAnswering {
    func answer(_ question: String, context: QuestionContext) async -> Answer {
        Answer(
            question: question, parsed: ParsedQuestion(intent: .help, language: .english), headline: "ok",
            createdAt: Date())
    }
}
