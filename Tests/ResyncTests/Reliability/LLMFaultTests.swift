import Foundation
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing

/// The model server fails (5xx, 429, a hang past the per-call timeout, malformed JSON) while questions go through
/// the real application in LLM mode. Each question still gets one answer within the deadline: the deterministic
/// one, with live status from HWA and an `llmFallback` notice. The API key (a canary) never shows in answers,
/// logs or metrics, though the fake server proves it was sent.
@Suite("Reliability: LLM faults", .serialized)
struct ReliabilityLLMFaultTests {
    static let faults: [(name: String, step: FakeOpenAIServer.Step)] = [
        ("500", .status(500, "internal error")),
        ("503", .status(503, "overloaded")),
        ("429", .status(429, "rate limit reached")),
        ("hang past the 1 s per-call timeout", .delay(.seconds(3), then: .text("too late"))),
        ("malformed JSON", .garbage(#"{"choices": 42}"#)),
        ("truncated JSON", .garbage(#"{"id":"chatcmpl-x","choices":[{"index":0,"message":{"role":"assis"#)),
    ]
    static let recoveredText = "PAYROLL_FINAL failed with RC 12; see the payroll runbook."

    @Test func everyLLMFailureFallsBackToTheDeterministicAnswer() async throws {
        let rounds = ReliabilityMode.current.size(smoke: 1, full: 8)
        let script =
            Array(repeating: Self.faults.map(\.step), count: rounds).flatMap { $0 } + [.text(Self.recoveredText)]
        let server = FakeOpenAIServer(script: script)
        try await server.makeApplication().test(.live) { fake in
            let port = try #require(fake.port)
            try await AskHarness.run(llmBaseURL: FakeOpenAIServer.baseURL(port: port)) { harness in
                var asked: [(fault: String, asked: AskHarness.Asked)] = []
                for _ in 0..<rounds {
                    for fault in Self.faults { asked.append((fault.name, try await harness.ask())) }
                }
                let recovered = try await harness.ask()
                let fallbacks = asked.filter {
                    $0.asked.fellBackFromLLM && $0.asked.isLive && $0.asked.answeredInTime
                        && $0.asked.answer?.body?.contains("too late") != true
                        && $0.asked.answer?.diagnosis.procedures.first?.entry.key == "kb-payroll-rc12"
                }
                let failedFaults = Set(asked.map(\.fault)).subtracting(fallbacks.map(\.fault)).sorted()
                let keySent = server.requests.allSatisfy {
                    $0.headers["authorization"] == "Bearer \(AskHarness.llmKey)"
                }
                let leaks = harness.leaks(in: (asked.map(\.asked) + [recovered]).map(\.body))
                let slowest = asked.map(\.asked.elapsed).max() ?? .zero
                let recoveredOK = !recovered.fellBackFromLLM && recovered.answer?.body == Self.recoveredText
                #expect(fallbacks.count == asked.count, "no fallback for: \(failedFaults)")
                #expect(recoveredOK, "\(recovered.body.prefix(300))")
                #expect(server.requests.count == asked.count + 1)
                #expect(keySent)
                #expect(leaks.isEmpty, "leaked: \(leaks)")
                ReliabilityResults.record(
                    suite: "LLM faults", name: "5xx, 429, hang, malformed/truncated JSON", count: asked.count,
                    passed: fallbacks.count == asked.count && recoveredOK && keySent && leaks.isEmpty,
                    figures: "\(rounds) round(s) of \(Self.faults.count) faults: \(fallbacks.count)/\(asked.count) "
                        + "answered with the deterministic answer (live RC 12, runbook) and an llmFallback notice, "
                        + "slowest \(slowest.milliseconds) ms (deadline \(AskHarness.answerDeadline.milliseconds) ms); "
                        + "the model's reply used again once it answers; API key canary in 0 answers, log lines or "
                        + "metrics")
            }
        }
    }
}
