import Agent
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import ResyncCore
import Web

/// `resync-bench ask`: p50/p99 of `POST /api/ask` for a status question, with latency injected into an
/// in-memory plan (the knowledge lookups get the same latency minus 100 ms, as in the issue's scenario).
struct AskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "POST /api/ask p50/p99 for a status question at several HWA latencies.")

    @Option(help: "Requests per latency.")
    var requests = 300

    @Option(parsing: .upToNextOption, help: "Injected HWA latencies in milliseconds.")
    var latencyMs: [Int] = [0, 200]

    @Option(help: "Loopback port for the benchmarked server.")
    var port = 18_461

    func run() async throws {
        print("| HWA latency | requests | p50 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|")
        for latency in latencyMs {
            let samples = try await measure(latency: .milliseconds(latency))
            let sorted = samples.sorted()
            func percentile(_ p: Double) -> String {
                String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
            }
            print("| \(latency) ms | \(sorted.count) | \(percentile(0.5)) | \(percentile(0.99)) | \(percentile(1.0)) |")
        }
    }

    func measure(latency: Duration) async throws -> [Double] {
        var logger = Logger(label: "resync.bench.agent")
        logger.logLevel = .critical
        let scheduler = BenchScheduler(latency: latency)
        let knowledgeLatency = latency > .milliseconds(100) ? latency - .milliseconds(100) : latency
        let agentConfiguration = AgentConfiguration(defaultLanguage: .portuguese)
        let agent = Agent(
            scheduler: scheduler, knowledge: BenchKnowledge(latency: knowledgeLatency),
            memories: BenchMemories(latency: knowledgeLatency), configuration: agentConfiguration, logger: logger)
        let router = Router(context: AppRequestContext.self)
        router.addAgentRoutes(answering: agent, scheduler: scheduler, configuration: agentConfiguration)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        return try await withThrowingTaskGroup(of: [Double].self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return []
            }
            let url = "http://127.0.0.1:\(port)/api/ask"
            try await waitUntilUp(url)
            var samples: [Double] = []
            let clock = ContinuousClock()
            for index in 0..<(requests + 10) {
                let started = clock.now
                try await ask(url)
                let elapsed = clock.now - started
                if index >= 10 {  // the first requests warm connections and caches
                    samples.append(elapsed.inMilliseconds)
                }
            }
            group.cancelAll()
            return samples
        }
    }

    func waitUntilUp(_ url: String) async throws {
        for _ in 0..<100 {
            if (try? await ask(url)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("the benchmark server did not start on port \(port)")
    }

    func ask(_ url: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Array(#"{"question": "Qual o status do job PAYROLL_FINAL?"}"#.utf8))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw ValidationError("POST /api/ask answered \(response.status)") }
    }
}
