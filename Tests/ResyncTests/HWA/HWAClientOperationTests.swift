import Foundation
import HWA
import HWASimulator
import ResyncCore
import TestSupport
import Testing

/// Every client operation against the simulator serving `Config/mock_tws_data.json`, over loopback HTTP.
@Suite("HWA client operations")
struct HWAClientOperationTests {
    func withDefaultScenario<T: Sendable>(
        _ body: @Sendable (HWAClient, HWASimulator) async throws -> T
    ) async throws -> T {
        let scenario = try SimulatorScenarios.defaultScenario()
        return try await withHWASimulator(scenario: scenario) { simulator, url in
            try await withHWAClient(baseURL: url) { client in try await body(client, simulator) }
        }
    }

    @Test("exact name finds the job with its runs, folder, return code and rerun flag")
    func exactName() async throws {
        try await withDefaultScenario { client, _ in
            let jobs = try await client.jobs(matching: JobFilter(name: "PAYROLL_FINAL"))
            #expect(jobs.count == 1)
            let job = try #require(jobs.first)
            #expect(job.folder == "/FINANCE")
            #expect(job.workstation == "AGENT_LNX01")
            #expect(job.jobStreamName == "PAYROLL")
            #expect(job.jobStreamWorkstation == "MASTER")
            #expect(job.qualifiedName == "MASTER#/FINANCE/PAYROLL.PAYROLL_FINAL")
            #expect(job.commonStatus == .error)
            #expect(job.internalStatus == .abend)
            #expect(job.runs.count == 2)
            #expect(job.lastRun?.returnCode == 12)
            #expect(job.lastRun?.isRerun == true)
            #expect(job.lastRun?.elapsedSeconds == 120)
            #expect(job.isFailed)
            #expect(job.dependencies.first?.target.hasSuffix("PAYROLL.PAYROLL_CALC") == true)
            #expect(job.dependencies.first?.satisfied == true)
        }
    }

    @Test(
        "wildcard, folder-qualified and WS#STREAM.JOB names",
        arguments: [
            ("PAYROLL_*", ["PAYROLL_BANK_FILE", "PAYROLL_CALC", "PAYROLL_EXTRACT", "PAYROLL_FINAL", "PAYROLL_REPORT"]),
            (
                "@PAYROLL@",
                [
                    "FINAL_BATCH_PAYROLL", "PAYROLL_BANK_FILE", "PAYROLL_CALC", "PAYROLL_EXTRACT", "PAYROLL_FINAL",
                    "PAYROLL_REPORT",
                ]
            ),
            ("/FINANCE/PAYROLL_FINAL", ["PAYROLL_FINAL"]),
            (
                "/FINANCE/BILLING_*",
                [
                    "BILLING_EXTRACT", "BILLING_INVOICES", "BILLING_RATING", "BILLING_RECONCILE", "BILLING_SEND_MAIL",
                ]
            ),
            ("/PAYROLL_FINAL", []),
            ("/JOB_B", ["JOB_B"]),
            ("MASTER#NIGHTLY_BATCH.JOB_B", ["JOB_B"]),
            ("MASTER#NIGHTLY_BATCH.JOB_*", ["JOB_A", "JOB_B", "JOB_C"]),
            ("AGENT_LNX01#NIGHTLY_BATCH.JOB_B", []),
            ("NO_SUCH_JOB", []),
        ])
    func names(pattern: String, expected: [String]) async throws {
        let names = try await withDefaultScenario { client, _ in
            try await client.jobs(matching: JobFilter(name: pattern)).map(\.name).sorted()
        }
        #expect(names == expected)
    }

    @Test("a name with a quote is refused before it reaches HWA")
    func quoteInName() async throws {
        try await withDefaultScenario { client, simulator in
            await #expect(throws: SchedulerError.badFilter("names cannot contain quotes, backslashes or line breaks")) {
                try await client.jobs(matching: JobFilter(name: "X' OR name LIKE '@"))
            }
            #expect(await simulator.requestCount() == 0)
        }
    }

    @Test("job by id round-trips; an unknown id is not found")
    func jobByID() async throws {
        try await withDefaultScenario { client, _ in
            let listed = try #require(try await client.jobs(matching: JobFilter(name: "JOB_B")).first)
            let fetched = try await client.job(id: listed.id)
            #expect(fetched == listed)
            await #expect(throws: SchedulerError.notFound("job with id 00000000-0000-0000-0000-000000000000")) {
                try await client.job(id: "00000000-0000-0000-0000-000000000000")
            }
        }
    }

    @Test("failed since T keeps jobs with a run that failed in the window, rerun or not")
    func failedSince() async throws {
        try await withDefaultScenario { client, _ in
            let fourHours = try await client.jobs(matching: .failed(since: Date().addingTimeInterval(-4 * 3600)))
            // BKP_LOG_SHIP abended an hour ago and its rerun succeeded: it still failed in the window.
            #expect(fourHours.map(\.name).sorted() == ["BKP_LOG_SHIP", "PAYROLL_FINAL"])
            let shipping = try #require(fourHours.first { $0.name == "BKP_LOG_SHIP" })
            #expect(shipping.commonStatus == .successful)
            #expect(shipping.recoveryRun?.returnCode == 0)
            #expect(shipping.failedRuns(since: Date().addingTimeInterval(-4 * 3600)).map(\.returnCode) == [4])
            let fiveHours = try await client.jobs(matching: .failed(since: Date().addingTimeInterval(-5 * 3600)))
            #expect(fiveHours.map(\.name).sorted() == ["BKP_LOG_SHIP", "JOB_B", "PAYROLL_FINAL", "REPORT_DAILY"])
            #expect(fiveHours.first { $0.name == "REPORT_DAILY" }?.internalStatus == .fail)
            // Its rerun is inside the last 50 minutes, its failure is not: no failure in that window.
            let fiftyMinutes = try await client.jobs(matching: .failed(since: Date().addingTimeInterval(-50 * 60)))
            #expect(!fiftyMinutes.contains { $0.name == "BKP_LOG_SHIP" })
        }
    }

    @Test("status and time filters")
    func statusAndTime() async throws {
        try await withDefaultScenario { client, _ in
            let running = try await client.jobs(matching: JobFilter(commonStatuses: [.running]))
            #expect(running.map(\.name).sorted() == ["BILLING_INVOICES", "ETL_SALES_LOAD"])
            let abended = try await client.jobs(matching: JobFilter(internalStatuses: [.abend]))
            #expect(abended.map(\.name).sorted() == ["JOB_B", "PAYROLL_FINAL"])
            let recent = try await client.jobs(
                matching: JobFilter(commonStatuses: [.successful], since: Date().addingTimeInterval(-45 * 60)))
            #expect(recent.map(\.name) == ["BKP_LOG_SHIP"])
            let window = try await client.jobs(
                matching: JobFilter(
                    since: Date().addingTimeInterval(-6 * 3600), until: Date().addingTimeInterval(-5 * 3600 + 60)))
            #expect(window.map(\.name).sorted() == ["BKP_DB_DAILY", "BKP_FS_HOME"])
            let inStream = try await client.jobs(matching: JobFilter(jobStream: "FINAL", workstation: "MASTER"))
            #expect(inStream.count == 4)
        }
    }

    @Test("job streams by name and wildcard, with a status derived from their jobs")
    func jobStreams() async throws {
        try await withDefaultScenario { client, _ in
            let payroll = try await client.jobStreams(named: "PAYROLL", limit: 10)
            #expect(payroll.count == 1)
            #expect(payroll.first?.commonStatus == .error)
            #expect(payroll.first?.folder == "/FINANCE")
            #expect(payroll.first?.jobCount == 5)
            let billing = try await client.jobStreams(named: "BILL*", limit: 10)
            #expect(billing.map(\.name) == ["BILLING"])
            #expect(billing.first?.commonStatus == .running)
            #expect(try await client.jobStreams(named: "/FINANCE/BILLING", limit: 10).count == 1)
        }
    }

    @Test("workstations with their link and run state; the unlinked one needs attention")
    func workstations() async throws {
        try await withDefaultScenario { client, _ in
            let workstations = try await client.workstations()
            #expect(workstations.count == 6)
            let legacy = try #require(workstations.first { $0.name == "AGENT_LEGACY" })
            #expect(legacy.linked == false)
            #expect(legacy.needsAttention)
            let master = try #require(workstations.first { $0.name == "MASTER" })
            #expect(master.linked == true && master.running == true && master.jobmanUp == true)
            #expect(master.type == "MANAGER")
        }
    }

    @Test("engine info and job counts")
    func engineAndCounts() async throws {
        try await withDefaultScenario { client, _ in
            let info = try await client.probe()
            #expect(info.version == "10.2.5")
            #expect(info.timeZone == "America/Sao_Paulo")
            let counts = try await client.jobCounts()
            #expect(counts.values.reduce(0, +) == 33)
            #expect(counts[.error] == 3)
            #expect(counts[.running] == 2)
        }
    }

    @Test("job log tail is bounded and flags truncation")
    func jobLog() async throws {
        try await withDefaultScenario { client, _ in
            let job = try #require(try await client.jobs(matching: JobFilter(name: "JOB_B")).first)
            let runID = try #require(job.lastRun?.id)
            let tail = try await client.jobLog(runID: runID, tail: 3)
            #expect(
                tail.lines == [
                    "Extract failed after 3 attempts", "= Exit Status : 8", "= Elapsed Time (hh:mm:ss) : 00:02:03",
                ])
            #expect(tail.truncated)
            let whole = try await client.jobLog(runID: runID, tail: 100)
            #expect(whole.lines.count == 11)
            #expect(!whole.truncated)
            #expect(whole.lines.contains { Redactor.redact($0).contains("password=****") })
            await #expect(throws: SchedulerError.notFound("job run 00000000-0000-0000-0000-0000000000ff (no log)")) {
                try await client.jobLog(runID: "00000000-0000-0000-0000-0000000000ff", tail: 10)
            }
        }
    }
}
