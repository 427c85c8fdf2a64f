import Agent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing

/// `/api/failures` lists every job with a run that failed in the window, a job a rerun recovered included. No
/// answer deadline is judged here, so the suite runs in the main pass, not the timing pass.
@Suite("/api/failures: recovered failures")
struct FailuresRouteTests {
    @Test func failuresRouteListsAJobARerunRecovered() async throws {
        let recovered = Job(
            id: "job-etl-sales", name: "ETL_SALES_LOAD", workstation: "AGT_LNX_02", jobStreamName: "DWH_LOAD",
            commonStatus: .successful, internalStatus: .succ,
            runs: [
                JobRun(
                    id: "run-etl-sales-1", commonStatus: .error, internalStatus: .abend, returnCode: 12,
                    startTime: AgentFixtures.minutesAgo(22), endTime: AgentFixtures.minutesAgo(20)),
                JobRun(
                    id: "run-etl-sales-2", commonStatus: .successful, internalStatus: .succ, returnCode: 0,
                    startTime: AgentFixtures.minutesAgo(19), endTime: AgentFixtures.minutesAgo(18), isRerun: true),
            ])
        let scheduler = FakeScheduler(
            jobs: AgentFixtures.jobs + [recovered], jobStreams: AgentFixtures.streams,
            workstations: AgentFixtures.workstations)
        try await AgentRoutesTests().withApp(scheduler: scheduler) { client in
            try await client.execute(uri: "/api/failures?since=1h", method: .get) { response in
                #expect(response.status == .ok)
                let reply = try AgentRoutesTests.json(response.body)
                #expect(
                    (reply["jobs"] as? [[String: Any]])?.map { $0["name"] as? String } == [
                        "ETL_SALES_LOAD", "PAYROLL_FINAL",
                    ])
                #expect(reply["recovered"] as? Int == 1)
                let failures = try #require(reply["failures"] as? [[String: Any]])
                let etl = try #require(failures.first { $0["name"] as? String == "ETL_SALES_LOAD" })
                #expect(etl["recovered"] as? Bool == true)
                #expect((etl["failedRun"] as? [String: Any])?["returnCode"] as? Int == 12)
                #expect((etl["recoveredBy"] as? [String: Any])?["returnCode"] as? Int == 0)
                let payroll = try #require(failures.first { $0["name"] as? String == "PAYROLL_FINAL" })
                #expect(payroll["recovered"] as? Bool == false)
                #expect(payroll["recoveredBy"] == nil)
            }
            // The failure was 20 minutes ago: not in the last 15 minutes, though its rerun is.
            try await client.execute(uri: "/api/failures?since=15m", method: .get) { response in
                let reply = try AgentRoutesTests.json(response.body)
                #expect((reply["jobs"] as? [[String: Any]])?.isEmpty == true)
            }
        }
    }

}
