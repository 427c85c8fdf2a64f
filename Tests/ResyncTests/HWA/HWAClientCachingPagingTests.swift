import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

@Suite("HWA client caching, single-flight and paging")
struct HWAClientCachingPagingTests {
    @Test("100 concurrent identical status queries make exactly one request")
    func singleFlight() async throws {
        let scenario = try SimulatorScenarios.defaultScenario()
        // Latency keeps the first request in flight while the other 99 arrive.
        try await withHWASimulator(scenario: scenario, faults: SimulatorFaults(latencyMs: 300)) { simulator, url in
            try await withHWAClient(baseURL: url) { client in
                let results = try await withThrowingTaskGroup(of: [Job].self) { group in
                    for _ in 0..<100 {
                        group.addTask { try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL")) }
                    }
                    return try await group.reduce(into: [[Job]]()) { $0.append($1) }
                }
                #expect(results.count == 100)
                #expect(results.allSatisfy { $0.map(\.name) == ["PAYROLL_FINAL"] })
                #expect(await simulator.requestCount() == 1)
                // Within the TTL the answer comes from the cache; bypassing it asks HWA again.
                _ = try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL"))
                #expect(await simulator.requestCount() == 1)
                _ = try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL", bypassCache: true))
                #expect(await simulator.requestCount() == 2)
            }
        }
    }

    @Test("the cache expires after its TTL")
    func cacheExpiry() async throws {
        let clock = SimulatorTestClock()
        try await withHWASimulator(scenario: SimulatorScenarios.manyJobs(2)) { simulator, url in
            try await withHWAClient(baseURL: url, timeSource: clock) { client in
                _ = try await client.workstations()
                clock.advance(by: 29)
                _ = try await client.workstations()
                #expect(await simulator.requestCount() == 1)
                clock.advance(by: 2)
                _ = try await client.workstations()
                #expect(await simulator.requestCount() == 2)
            }
        }
    }

    /// Pages of 100, and timeouts no loaded test run reaches. The test counts requests, and a timed-out request is
    /// retried: under the main pass's load this test takes 21–30 s (0.9 s alone), so a page can pass the default 10 s
    /// and be asked twice. A fresh-clone CI run failed the count once that way (the 450 jobs still came back).
    static func pagingClient(_ configuration: inout HWAClientConfiguration) {
        configuration.pageSize = 100
        configuration.requestTimeout = .seconds(120)
        configuration.operationDeadline = .seconds(300)
    }

    @Test("paging follows next across several pages, up to the caller's limit and the page bound")
    func paging() async throws {
        try await withHWASimulator(scenario: SimulatorScenarios.manyJobs(450)) { simulator, url in
            try await withHWAClient(baseURL: url, configure: { Self.pagingClient(&$0) }) { client in
                let all = try await client.jobs(matching: JobFilter(name: "PAGE_JOB_*", limit: 1000))
                #expect(all.count == 450)
                #expect(Set(all.map(\.id)).count == 450)
                #expect(await simulator.requestCount() == 5)

                await simulator.resetRequestCount()
                let some = try await client.jobs(matching: JobFilter(name: "PAGE_JOB_*", limit: 120, bypassCache: true))
                #expect(some.count == 120)
                #expect(await simulator.requestCount() == 2)
            }
            try await withHWAClient(
                baseURL: url,
                configure: {
                    Self.pagingClient(&$0)
                    $0.maxPages = 2
                }
            ) { client in
                let bounded = try await client.jobs(matching: JobFilter(limit: 1000))
                #expect(bounded.count == 200)
            }
        }
    }

    @Test("time-driven events: EXEC → ABEND rc 12 at t+30 s, rerun succeeds at t+90 s")
    func timeDrivenEvents() async throws {
        let clock = SimulatorTestClock()
        let scenario = try SimulatorScenarios.defaultScenario()
        try await withHWASimulator(scenario: scenario, timeSource: clock) { _, url in
            try await withHWAClient(baseURL: url) { client in
                let name = JobFilter(name: "ETL_SALES_LOAD", bypassCache: true)
                let before = try #require(try await client.jobs(matching: name).first)
                #expect(before.commonStatus == .running)
                #expect(before.internalStatus == .exec)

                clock.advance(by: 31)
                let failed = try #require(try await client.jobs(matching: name).first)
                #expect(failed.commonStatus == .error)
                #expect(failed.internalStatus == .abend)
                #expect(failed.lastRun?.returnCode == 12)
                let log = try await client.jobLog(runID: try #require(failed.lastRun?.id), tail: 3)
                #expect(log.lines.last == "= Exit Status : 12")
                let failures = try await client.jobs(
                    matching: .failed(since: clock.now().addingTimeInterval(-60), bypassCache: true))
                #expect(failures.map(\.name) == ["ETL_SALES_LOAD"])

                clock.advance(by: 60)
                let recovered = try #require(try await client.jobs(matching: name).first)
                #expect(recovered.commonStatus == .successful)
                #expect(recovered.runs.count == 2)
                #expect(recovered.lastRun?.isRerun == true)
                #expect(recovered.lastRun?.returnCode == 0)
                // Rerun successfully, it still failed two minutes ago: the failures of that window list it.
                let window = try await client.jobs(
                    matching: .failed(since: clock.now().addingTimeInterval(-120), bypassCache: true))
                #expect(window.map(\.name) == ["ETL_SALES_LOAD"])
                #expect(window.first?.recoveryRun?.isRerun == true)
            }
        }
    }
}
