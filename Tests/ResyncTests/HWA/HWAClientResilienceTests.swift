import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// Each injected fault and the client's documented reaction, over loopback HTTP.
@Suite("HWA client resilience")
struct HWAClientResilienceTests {
    let scenario = SimulatorScenarios.manyJobs(3)
    let filter = JobFilter(name: "PAGE_JOB_0001", bypassCache: true)

    @Test("transient 503s are retried, then the call succeeds")
    func retryThenSucceed() async throws {
        try await withHWASimulator(scenario: scenario, faults: SimulatorFaults(failNext: 2)) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                let jobs = try await client.jobs(matching: filter)
                #expect(jobs.count == 1)
                #expect(await simulator.requestCount() == 3)
            }
        }
    }

    @Test("retries are bounded: after maxAttempts the server error surfaces")
    func boundedRetries() async throws {
        try await withHWASimulator(scenario: scenario, faults: SimulatorFaults(failNext: 10)) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                await #expect(
                    throws: SchedulerError.server(
                        status: 503,
                        message: "com.hcl.wa.simulator.SimulatedException / "
                            + "HWASIM503E The engine is temporarily unavailable (simulated).")
                ) {
                    try await client.jobs(matching: filter)
                }
                #expect(await simulator.requestCount() == 3)
            }
        }
    }

    @Test("a 4xx is never retried", arguments: [400, 403, 404])
    func noRetryOn4xx(status: Int) async throws {
        let faults = SimulatorFaults(errorStatus: status, failNext: 5)
        try await withHWASimulator(scenario: scenario, faults: faults) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                await #expect(throws: SchedulerError.self) { try await client.jobs(matching: filter) }
                #expect(await simulator.requestCount() == 1)
            }
        }
    }

    @Test("429 waits for Retry-After, then succeeds")
    func rateLimitHonoured() async throws {
        let faults = SimulatorFaults(rateLimitNext: 1, retryAfterSeconds: 1)
        try await withHWASimulator(scenario: scenario, faults: faults) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                let start = ContinuousClock.now
                let jobs = try await client.jobs(matching: filter)
                let waited = ContinuousClock.now - start
                #expect(jobs.count == 1)
                #expect(await simulator.requestCount() == 2)
                // The backoff ceiling is 100 ms here: only Retry-After explains a wait of a second.
                #expect(waited >= .milliseconds(950))
            }
        }
    }

    @Test("a Retry-After longer than the policy allows fails at once instead of waiting")
    func rateLimitTooLong() async throws {
        let faults = SimulatorFaults(rateLimitNext: 1, retryAfterSeconds: 120)
        try await withHWASimulator(scenario: scenario, faults: faults) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                await #expect(
                    throws: SchedulerError.server(status: 429, message: "HWA is throttling requests; retry later")
                ) {
                    try await client.jobs(matching: filter)
                }
                #expect(await simulator.requestCount() == 1)
            }
        }
    }

    @Test("a hanging engine surfaces as 'HWA unreachable' within the configured deadline")
    func hangTimesOut() async throws {
        let faults = SimulatorFaults(hang: true, hangSeconds: 20)
        try await withHWASimulator(scenario: scenario, faults: faults) { _, url in
            try await withHWAClient(
                baseURL: url,
                configure: {
                    $0.requestTimeout = .milliseconds(300)
                    $0.operationDeadline = .seconds(1)
                }
            ) { client in
                let start = ContinuousClock.now
                do {
                    _ = try await client.jobs(matching: filter)
                    Issue.record("a hanging engine produced an answer")
                } catch let error as SchedulerError {
                    #expect(error.isUnavailability)
                    #expect(error.description.hasPrefix("HWA unreachable"))
                }
                #expect(ContinuousClock.now - start < .seconds(3))
            }
        }
    }

    @Test("a truncated body is reported as an unreadable response, not retried")
    func truncatedBody() async throws {
        try await withHWASimulator(scenario: scenario, faults: SimulatorFaults(truncateBodies: true)) {
            simulator, url in
            try await withHWAClient(baseURL: url) { client in
                await #expect {
                    try await client.jobs(matching: filter)
                } throws: { error in
                    if case SchedulerError.invalidResponse = error { return true }
                    return false
                }
                #expect(await simulator.requestCount() == 1)
            }
        }
    }

    @Test("added latency is served, and the answer still arrives")
    func latency() async throws {
        try await withHWASimulator(scenario: scenario, faults: SimulatorFaults(latencyMs: 150, latencyJitterMs: 50)) {
            _, url in
            try await withHWAClient(baseURL: url) { client in
                let start = ContinuousClock.now
                let jobs = try await client.jobs(matching: filter)
                #expect(jobs.count == 1)
                #expect(ContinuousClock.now - start >= .milliseconds(150))
            }
        }
    }

    @Test("a master without the V2 API (404 on engine info) is reported as an unsupported version")
    func v1OnlyMaster() async throws {
        let faults = SimulatorFaults(errorStatus: 404, failNext: 1)
        try await withHWASimulator(scenario: scenario, faults: faults) { _, url in
            try await withHWAClient(baseURL: url) { client in
                await #expect {
                    try await client.probe()
                } throws: { error in
                    guard case SchedulerError.unsupportedVersion(let detail) = error else { return false }
                    return detail.contains("9.5") && detail.contains("10.1 Fix Pack 1")
                }
            }
        }
    }

    @Test("nothing listening: unreachable, quickly")
    func connectionRefused() async throws {
        let configure: (inout HWAClientConfiguration) -> Void = {
            $0.retry.maxAttempts = 2
            $0.requestTimeout = .seconds(30)
            $0.operationDeadline = .seconds(60)
        }
        try await withHWAClient(baseURL: "http://127.0.0.1:1/twsd", configure: configure) { client in
            let start = ContinuousClock.now
            await #expect {
                try await client.engineInfo()
            } throws: { error in
                if case SchedulerError.unreachable = error { return true }
                return false
            }
            // Far under the 30 s request timeout: a refused connection is reported, not waited out.
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test("an unreadable CA bundle is refused when the client is built, naming TWS_CA_FILE")
    func unreadableCAFile() {
        let configuration = HWAClientConfiguration(
            baseURL: "https://hwa.example.invalid:31116/twsd", authentication: SimulatorTestAuth.basic,
            caFile: "/nonexistent/ca.pem")
        #expect(
            throws: SchedulerError.unreachable("CA bundle '/nonexistent/ca.pem' is not readable; check TWS_CA_FILE")
        ) {
            _ = try HWAClient(configuration: configuration)
        }
    }

    @Test("plain http to a remote host is refused unless explicitly allowed")
    func plainHTTPRefused() async throws {
        try await withHWAClient(
            baseURL: "http://hwa.example.invalid:31116/twsd", configure: { $0.retry.maxAttempts = 1 }
        ) {
            client in
            await #expect {
                try await client.engineInfo()
            } throws: { error in
                "\(error)".contains("plain http to hwa.example.invalid is refused")
            }
        }
    }

    @Test("the breaker opens after repeated failures, stops calling, half-opens after the cool-down and closes")
    func breaker() async throws {
        let clock = SimulatorTestClock()
        let faults = SimulatorFaults(errorRate: 1)
        try await withHWASimulator(scenario: scenario, faults: faults) { simulator, url in
            try await withHWAClient(
                baseURL: url,
                configure: {
                    $0.retry.maxAttempts = 1
                    $0.breaker = HWABreakerPolicy(failureThreshold: 2, coolDown: .seconds(30))
                }, timeSource: clock
            ) { client in
                for _ in 0..<2 {
                    await #expect(throws: SchedulerError.self) { try await client.jobs(matching: filter) }
                }
                #expect(await client.breakerState() == .open)
                await #expect(throws: SchedulerError.circuitOpen(retryAfterSeconds: 30)) {
                    try await client.jobs(matching: filter)
                }
                await #expect(throws: SchedulerError.self) { try await client.checkReadiness() }
                #expect(await simulator.requestCount() == 2)

                // After the cool-down one probe goes through; it fails, so the breaker opens again.
                clock.advance(by: 31)
                await #expect(throws: SchedulerError.self) { try await client.jobs(matching: filter) }
                #expect(await simulator.requestCount() == 3)
                #expect(await client.breakerState() == .open)

                // The engine recovers; the next probe closes the breaker.
                await simulator.setFaults(.none)
                clock.advance(by: 31)
                #expect(try await client.jobs(matching: filter).count == 1)
                #expect(await client.breakerState() == .closed)
                try await client.checkReadiness()
            }
        }
    }

    @Test("401 on wrong password, wrong or revoked API key; the error names no secret")
    func authFailures() async throws {
        try await withHWASimulator(scenario: scenario) { simulator, url in
            let wrongPassword = HWAAuthentication.basic(user: SimulatorTestAuth.user, password: Secret("not-it"))
            let wrongKey = HWAAuthentication.bearer(Secret("not-the-key"))
            for authentication in [wrongPassword, wrongKey] {
                try await withHWAClient(baseURL: url, authentication: authentication) { client in
                    do {
                        _ = try await client.engineInfo()
                        Issue.record("accepted wrong credentials")
                    } catch let error as SchedulerError {
                        #expect(error == .unauthorized)
                        #expect(!error.description.contains("not-it") && !error.description.contains("not-the-key"))
                        #expect(error.description.contains("TWS_API_KEY"))
                    }
                }
            }
            #expect(await simulator.requestCount() == 2)
            try await withHWAClient(baseURL: url, authentication: .bearer(SimulatorTestAuth.apiKey)) { client in
                let info = try await client.engineInfo()
                #expect(info.version == "10.2.5")
                await simulator.setFaults(SimulatorFaults(unauthorized: true))
                await #expect(throws: SchedulerError.unauthorized) { try await client.jobCounts() }
            }
        }
    }
}
