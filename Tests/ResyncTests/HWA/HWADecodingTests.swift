import Foundation
import ResyncCore
import Testing

@testable import HWA

@Suite("HWA lenient decoding and OQL building")
struct HWADecodingTests {
    @Test("unknown fields, unknown enum values and one malformed element never fail a page")
    func lenientPage() throws {
        let json = """
            {"count": 3, "next": null, "surprise": {"a": 1}, "results": [
              {"id": "j1", "name": "JOB_NEW", "brandNewField": [1, 2], "workstation": "/AG1", "jobStreamName": "S",
               "lastRunCommonStatus": "FROBNICATED",
               "jobruns": [{"id": "r1", "commonStatus": "FROBNICATED", "compositeStatus": {"status": "QUANTUM"},
                            "returnCode": "not-a-number", "timeInfo": {"actualStartTime": "2026-11-26T01:00:00Z",
                            "actualEndTime": "2026-11-26T01:00:07.250Z"}}]},
              "not an object",
              {"id": "j3", "name": "JOB_OLD", "jobruns": 42, "schedTime": 17}
            ]}
            """
        let page = try JSONDecoder().decode(PaginatedResponse<JobInPlanV2>.self, from: Data(json.utf8))
        #expect(page.count == 3)
        #expect(page.results.count == 2)
        let job = try page.results[0].domain()
        #expect(job.commonStatus == CommonStatus("FROBNICATED"))
        #expect(job.internalStatus == InternalStatus("QUANTUM"))
        #expect(job.workstation == "AG1")
        #expect(job.lastRun?.returnCode == nil)
        #expect(job.lastRun?.elapsedSeconds == 7.25)
        let old = try page.results[1].domain()
        #expect(old.runs.isEmpty)
        #expect(old.scheduledTime == nil)
        #expect(old.commonStatus == .waiting)
    }

    @Test("engine info without a version is an unreadable response; workstation states map to flags")
    func otherSchemas() throws {
        let empty = try JSONDecoder().decode(EngineInfoV2.self, from: Data(#"{"timezone": "UTC"}"#.utf8))
        #expect(throws: SchedulerError.invalidResponse("engine info carries no version")) { try empty.domain() }
        let workstation = try JSONDecoder().decode(
            WorkstationInPlanV2.self,
            from: Data(#"{"name": "/AG1", "activeStates": ["FULLY_LINKED", "JOBMAN_UP", 3, "NEW_STATE"]}"#.utf8))
        let domain = try workstation.domain()
        #expect(domain.name == "AG1")
        #expect(domain.linked == true && domain.running == false && domain.jobmanUp == true)
        #expect(domain.states == ["FULLY_LINKED", "JOBMAN_UP", "NEW_STATE"])
    }

    @Test("ISO-8601 durations")
    func durations() {
        #expect(HWATime.seconds(ofDuration: "PT6S") == 6)
        #expect(HWATime.seconds(ofDuration: "PT1M30.5S") == 90.5)
        #expect(HWATime.seconds(ofDuration: "P1DT2H") == 93_600)
        #expect(HWATime.seconds(ofDuration: "P1M") == nil)
        #expect(HWATime.seconds(ofDuration: "6 seconds") == nil)
    }

    @Test(
        "OQL for each kind of name and filter",
        arguments: [
            (JobFilter(name: "PAYROLL_FINAL"), "name = 'PAYROLL_FINAL'"),
            (JobFilter(name: "PAY*"), "name LIKE 'PAY@'"),
            (JobFilter(name: "/FIN/PAY@"), "folder = '/FIN' AND name LIKE 'PAY@'"),
            (
                JobFilter(name: "MDM#DAILY.EXTRACT"),
                "jobStreamWorkstation = '/MDM' AND jobStreamName = 'DAILY' AND name = 'EXTRACT'"
            ),
            (
                JobFilter(commonStatuses: [.error], internalStatuses: [.abend, .fail]),
                "(lastRunCommonStatus IN ['ERROR'] OR jobruns.compositeStatus.status IN ['ABEND','FAIL'])"
            ),
            (
                JobFilter(since: Date(timeIntervalSince1970: 1_764_547_200)),
                "(jobruns.timeInfo.actualEndTime >= '2025-12-01T00:00:00.000Z' "
                    + "OR jobruns.timeInfo.actualStartTime >= '2025-12-01T00:00:00.000Z')"
            ),
            (JobFilter(jobStream: "S", workstation: "AG1"), "jobStreamName = 'S' AND workstation = '/AG1'"),
            (
                JobFilter(name: "MDM#/FINANCE/DAILY.EXTRACT"),
                "jobStreamWorkstation = '/MDM' AND folder = '/FINANCE' AND jobStreamName = 'DAILY' AND name = 'EXTRACT'"
            ),
            (
                JobFilter(name: "MDM#FINANCE/EU/DAILY.EXTRACT"),
                "jobStreamWorkstation = '/MDM' AND folder = '/FINANCE/EU' AND jobStreamName = 'DAILY' AND name = 'EXTRACT'"
            ),
        ])
    func oql(filter: JobFilter, expected: String) throws {
        #expect(try OQLBuilder.jobs(filter) == expected)
    }

    @Test func failuresInAWindowAreAskedRunByRun() throws {
        // Each run's status and its own end or start: a job whose failed run a rerun replaced still comes back.
        let expected =
            "(lastRunCommonStatus IN ['ERROR'] OR jobruns.commonStatus IN ['ERROR'] "
            + "OR jobruns.compositeStatus.status IN ['ABEND','ABENP','ERROR','FAIL']) "
            + "AND (jobruns.timeInfo.actualEndTime >= '2025-12-01T00:00:00.000Z' "
            + "OR jobruns.timeInfo.actualStartTime >= '2025-12-01T00:00:00.000Z')"
        #expect(try OQLBuilder.jobs(.failed(since: Date(timeIntervalSince1970: 1_764_547_200))) == expected)
    }

    @Test("malformed qualified names are bad filters", arguments: ["WS#JOB", "#S.J", "WS#.J", "WS#S."])
    func malformed(name: String) {
        #expect(throws: SchedulerError.self) { try OQLBuilder.jobs(JobFilter(name: name)) }
    }

    @Test("Retry-After as seconds or an HTTP date; backoff ceiling grows and is capped")
    func retryAfterAndBackoff() {
        let now = Date(timeIntervalSince1970: 1_764_547_200)
        #expect(HWATransport.parseRetryAfter("3", now: now) == 3)
        #expect(HWATransport.parseRetryAfter("Mon, 01 Dec 2025 00:00:10 GMT", now: now) == 10)
        #expect(HWATransport.parseRetryAfter("soon", now: now) == nil)
        let policy = HWARetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(350))
        #expect(policy.ceiling(forRetry: 1) == .milliseconds(100))
        #expect(policy.ceiling(forRetry: 2) == .milliseconds(200))
        #expect(policy.ceiling(forRetry: 3) == .milliseconds(350))
    }

    @Test("credentials never show when configuration or errors are printed")
    func noSecretsInDescriptions() {
        let auth = HWAAuthentication.basic(user: "ops", password: Secret("hunter2"))
        #expect(!"\(auth)".contains("hunter2"))
        #expect(!"\(HWAAuthentication.bearer(Secret("jwt-abc")))".contains("jwt-abc"))
        #expect(auth.headerValue == "Basic " + Data("ops:hunter2".utf8).base64EncodedString())
    }
}
