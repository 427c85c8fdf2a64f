import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// The HWA simulator misbehaves (latency, 5xx bursts, 429, hangs, truncated JSON, revoked credentials) while
/// questions go through the real application's `/api/ask`. Every question gets one answer within the agent's
/// deadline, live or marked unavailable with the last good read shown; the breaker opens under the 5xx burst
/// and closes once the faults clear; the HWA password (a canary) never shows in answers, logs or metrics.
@Suite("Reliability: HWA faults", .serialized)
struct ReliabilityHWAFaultTests {
    static let mode = ReliabilityMode.current

    /// A first, healthy answer: it must be live, and it becomes the "last good" read later answers fall back on.
    static func baseline(_ harness: AskHarness) async throws -> AskHarness.Asked {
        let asked = try await harness.ask()
        #expect(asked.isLive, "baseline not live: \(asked.body.prefix(300))")
        return asked
    }

    /// The first answer's unavailability reason, cut to `length` characters for the results table.
    static func reason(_ asked: [AskHarness.Asked], _ length: Int) -> String {
        String(asked.first?.unavailableReason?.prefix(length) ?? "-")
    }

    static func summary(_ asked: [AskHarness.Asked]) -> String {
        let slowest = asked.map(\.elapsed).max() ?? .zero
        return "slowest \(slowest.milliseconds) ms (deadline \(AskHarness.answerDeadline.milliseconds) ms)"
    }

    @Test func latencySpikesAreAnsweredLiveWithinTheDeadline() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            await harness.simulator.setFaults(SimulatorFaults(latencyMs: 150, latencyJitterMs: 350))
            let count = Self.mode.size(smoke: 6, full: 60)
            let asked = try await harness.askMany(count, concurrency: 6)
            let live = asked.filter { $0.isLive && $0.answeredInTime }.count
            let leaks = harness.leaks(in: asked.map(\.body))
            #expect(asked.count == count)
            #expect(live == count, "\(count - live) answers not live in time")
            #expect(leaks.isEmpty)
            ReliabilityResults.record(
                suite: "HWA faults", name: "latency spikes (150-500 ms per HWA call)", count: count,
                passed: asked.count == count && live == count && leaks.isEmpty,
                figures: "\(count) questions, 6 in flight: \(live) answered live in time; \(Self.summary(asked)); "
                    + "no canary in answers/logs/metrics")
        }
    }

    @Test func fiveHundredBurstOpensTheBreakerWhichRecovers() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            let cycles = Self.mode.size(smoke: 1, full: 4)
            var asked: [AskHarness.Asked] = []
            var openedAfter: [Int] = []
            var callsWhileOpen: [Int] = []
            var recoveredAfter: [Duration] = []
            for _ in 0..<cycles {
                await harness.simulator.setFaults(SimulatorFaults(errorRate: 1, errorStatus: 503))
                var questions = 0
                while await harness.hwa.breakerState() != .open && questions < 10 {
                    asked.append(try await harness.ask())
                    questions += 1
                }
                openedAfter.append(questions)
                // While open, HWA is not called at all: answers come at once, marked unavailable.
                let before = await harness.simulator.requestCount()
                for _ in 0..<3 { asked.append(try await harness.ask()) }
                callsWhileOpen.append(await harness.simulator.requestCount() - before)
                await harness.simulator.setFaults(.none)
                let clock = ContinuousClock()
                let cleared = clock.now
                var recovered = false
                while !recovered && clock.now - cleared < .seconds(15) {
                    try await Task.sleep(for: .milliseconds(250))
                    let next = try await harness.ask()
                    recovered = next.isLive
                    if !recovered { asked.append(next) }
                }
                recoveredAfter.append(clock.now - cleared)
                #expect(recovered)
                #expect(await harness.hwa.breakerState() == .closed)
            }
            let degraded = asked.filter { $0.isStaleWithLastGood && $0.answeredInTime }.count
            let circuitOpen = asked.filter { $0.unavailableReason?.contains("circuit breaker open") == true }.count
            let leaks = harness.leaks(in: asked.map(\.body))
            let passed =
                degraded == asked.count && openedAfter.allSatisfy { $0 <= AskHarness.breaker.failureThreshold }
                && callsWhileOpen.allSatisfy { $0 == 0 } && recoveredAfter.count == cycles
                && recoveredAfter.allSatisfy { $0 < .seconds(15) } && leaks.isEmpty
            #expect(degraded == asked.count, "\(asked.count - degraded) answers without the stale marker in time")
            #expect(openedAfter.allSatisfy { $0 <= AskHarness.breaker.failureThreshold }, "\(openedAfter)")
            #expect(callsWhileOpen.allSatisfy { $0 == 0 }, "\(callsWhileOpen)")
            #expect(circuitOpen >= 3 * cycles)
            #expect(leaks.isEmpty)
            ReliabilityResults.record(
                suite: "HWA faults", name: "5xx burst: breaker opens and recovers", count: asked.count,
                passed: passed,
                figures: "\(cycles) burst(s) of 503s: breaker open after \(openedAfter) questions (threshold "
                    + "\(AskHarness.breaker.failureThreshold) calls), \(callsWhileOpen.reduce(0, +)) HWA calls while "
                    + "open; \(degraded)/\(asked.count) answers marked unavailable with the last good read, "
                    + "\(circuitOpen) of them by the open breaker; live again "
                    + "\(recoveredAfter.map { "\($0.milliseconds)" }.joined(separator: "/")) ms after the faults "
                    + "cleared (cool-down \(AskHarness.breaker.coolDown.milliseconds) ms); \(Self.summary(asked))")
        }
    }

    @Test func rateLimitIsWaitedOutWithinTheDeadline() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            let count = Self.mode.size(smoke: 2, full: 12)
            var asked: [AskHarness.Asked] = []
            var extraCalls: [Int] = []
            let normalCalls = try await Self.callsFor(harness) { _ = try await harness.ask() }
            for _ in 0..<count {
                await harness.simulator.setFaults(SimulatorFaults(rateLimitNext: 1, retryAfterSeconds: 1))
                var one: AskHarness.Asked?
                let calls = try await Self.callsFor(harness) { one = try await harness.ask() }
                extraCalls.append(calls - normalCalls)
                if let one { asked.append(one) }
            }
            // Live, and only after the server's Retry-After (1 s) was waited out: one extra call, no sooner.
            let honoured = asked.filter { $0.isLive && $0.answeredInTime && $0.elapsed >= .milliseconds(950) }.count
            let leaks = harness.leaks(in: asked.map(\.body))
            #expect(honoured == count)
            #expect(extraCalls.allSatisfy { $0 == 1 }, "\(extraCalls)")
            #expect(leaks.isEmpty)
            ReliabilityResults.record(
                suite: "HWA faults", name: "429 with Retry-After", count: count,
                passed: honoured == count && extraCalls.allSatisfy { $0 == 1 } && leaks.isEmpty,
                figures: "\(count) questions each meeting one 429 (Retry-After 1 s): \(honoured) answered live after "
                    + "waiting it out, one retry each; \(Self.summary(asked))")
        }
    }

    /// Simulator requests made while `body` runs.
    static func callsFor(_ harness: AskHarness, _ body: () async throws -> Void) async throws -> Int {
        let before = await harness.simulator.requestCount()
        try await body()
        return await harness.simulator.requestCount() - before
    }

    @Test func hangsEndWithinTheDeadline() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            let count = Self.mode.size(smoke: 1, full: 5)
            var retried: [AskHarness.Asked] = []
            var unavailable: [AskHarness.Asked] = []
            for _ in 0..<count {
                // One request hangs: the request timeout ends it and the retry answers.
                await harness.simulator.setFaults(SimulatorFaults(hangNext: 1, hangSeconds: 4))
                retried.append(try await harness.ask())
                // Everything hangs: the answer still comes in time, marked unavailable.
                await harness.simulator.setFaults(SimulatorFaults(hang: true, hangSeconds: 4))
                unavailable.append(try await harness.ask())
                await harness.simulator.setFaults(.none)
            }
            let retriedLive = retried.filter {
                $0.isLive && $0.answeredInTime && $0.elapsed >= AskHarness.requestTimeout
            }.count
            let marked = unavailable.filter { $0.isStaleWithLastGood && $0.answeredInTime }.count
            let leaks = harness.leaks(in: (retried + unavailable).map(\.body))
            #expect(retriedLive == count)
            #expect(marked == count)
            #expect(leaks.isEmpty)
            ReliabilityResults.record(
                suite: "HWA faults", name: "hung requests (one, then all)", count: count * 2,
                passed: retriedLive == count && marked == count && leaks.isEmpty,
                figures: "one hung request: \(retriedLive)/\(count) answered live after the "
                    + "\(AskHarness.requestTimeout.milliseconds) ms request timeout and a retry; all hung: "
                    + "\(marked)/\(count) marked unavailable with the last good read; "
                    + Self.summary(retried + unavailable))
        }
    }

    @Test func truncatedBodiesGiveAnUnavailableAnswer() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            await harness.simulator.setFaults(SimulatorFaults(truncateBodies: true))
            let count = Self.mode.size(smoke: 3, full: 20)
            let asked = try await harness.askMany(count, concurrency: 3)
            await harness.simulator.setFaults(.none)
            let after = try await harness.ask()
            let marked = asked.filter {
                $0.isStaleWithLastGood && $0.answeredInTime
                    && $0.unavailableReason?.contains("could not be read") == true
            }.count
            // Unreadable JSON is not an outage: the engine answered, so the breaker stays closed.
            let breaker = await harness.hwa.breakerState()
            let leaks = harness.leaks(in: (asked + [after]).map(\.body))
            #expect(marked == count, "\(asked.first?.unavailableReason ?? "-")")
            #expect(breaker == .closed)
            #expect(after.isLive)
            #expect(leaks.isEmpty)
            ReliabilityResults.record(
                suite: "HWA faults", name: "truncated JSON bodies", count: count,
                passed: marked == count && breaker == .closed && after.isLive && leaks.isEmpty,
                figures: "\(marked)/\(count) answers marked unavailable (\"\(Self.reason(asked, 70))\") with the last "
                    + "good read; breaker \(breaker.rawValue); live again at once; \(Self.summary(asked))")
        }
    }

    @Test func revokedCredentialsAreReportedWithoutLeakingThePassword() async throws {
        try await AskHarness.run { harness in
            _ = try await Self.baseline(harness)
            await harness.simulator.setFaults(SimulatorFaults(unauthorized: true))
            let count = Self.mode.size(smoke: 3, full: 20)
            let asked = try await harness.askMany(count, concurrency: 3)
            let marked = asked.filter {
                $0.isStaleWithLastGood && $0.answeredInTime && $0.unavailableReason?.contains("401") == true
            }.count
            let breaker = await harness.hwa.breakerState()
            let leaks = harness.leaks(in: asked.map(\.body))
            #expect(marked == count, "\(asked.first?.unavailableReason ?? "-")")
            #expect(breaker == .closed)
            #expect(leaks.isEmpty, "leaked: \(leaks)")
            ReliabilityResults.record(
                suite: "HWA faults", name: "401: credentials revoked", count: count,
                passed: marked == count && breaker == .closed && leaks.isEmpty,
                figures: "\(marked)/\(count) answers say the credentials were refused "
                    + "(\"\(Self.reason(asked, 60))…\"); breaker \(breaker.rawValue); password canary in 0 answers, "
                    + "log lines or metrics; \(Self.summary(asked))")
        }
    }
}
