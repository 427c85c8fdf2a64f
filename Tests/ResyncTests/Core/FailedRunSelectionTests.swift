import Foundation
import ResyncCore
import Testing

@Suite("Failures in a window are failed runs, whatever the job's state now")
struct FailedRunSelectionTests {
    static let now = Date(timeIntervalSince1970: 1_795_687_200)
    static let windowStart = now.addingTimeInterval(-3600)

    static func minutesAgo(_ minutes: Double) -> Date { now.addingTimeInterval(-minutes * 60) }

    static func run(_ status: InternalStatus, rc: Int?, started: Double, ended: Double?, rerun: Bool = false) -> JobRun
    {
        let common: CommonStatus =
            InternalStatus.failures.contains(status) ? .error : status == .succ ? .successful : .running
        return JobRun(
            id: "run-\(status)-\(started)", commonStatus: common, internalStatus: status, returnCode: rc,
            startTime: minutesAgo(started), endTime: ended.map(minutesAgo), isRerun: rerun)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var runs: [JobRun]
        var status: CommonStatus = .successful
        /// Nil: not a failure of the last hour.
        var failedReturnCode: Int?
        var recovered = false

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "failed now, inside the window", runs: [run(.abend, rc: 12, started: 12, ended: 10)],
            status: .error, failedReturnCode: 12),
        Case(
            name: "failed, then rerun successfully, both inside the window",
            runs: [
                run(.abend, rc: 12, started: 22, ended: 20), run(.succ, rc: 0, started: 19, ended: 18, rerun: true),
            ],
            failedReturnCode: 12, recovered: true),
        Case(
            name: "failed before the window, rerun successfully inside it",
            runs: [run(.abend, rc: 4, started: 91, ended: 90), run(.succ, rc: 0, started: 40, ended: 38, rerun: true)]),
        Case(name: "no runs", runs: [], status: .error),
        Case(name: "only successful runs", runs: [run(.succ, rc: 0, started: 30, ended: 29)]),
        Case(
            name: "failed before the window and again inside it",
            runs: [run(.abend, rc: 4, started: 91, ended: 90), run(.fail, rc: 8, started: 30, ended: 29, rerun: true)],
            status: .error, failedReturnCode: 8),
        Case(
            name: "failed inside the window, rerun still running",
            runs: [
                run(.abend, rc: 12, started: 22, ended: 20), run(.exec, rc: nil, started: 5, ended: nil, rerun: true),
            ],
            status: .running, failedReturnCode: 12),
        Case(
            name: "failed twice inside the window, the second rerun succeeded",
            runs: [
                run(.abend, rc: 12, started: 40, ended: 39), run(.abend, rc: 16, started: 30, ended: 29, rerun: true),
                run(.succ, rc: 0, started: 20, ended: 19, rerun: true),
            ],
            failedReturnCode: 16, recovered: true),
    ]

    @Test("a job is a failure of the window when one of its runs failed in it", arguments: cases)
    func selection(_ testCase: Case) {
        let job = Job(
            id: "job-1", name: "ETL_SALES_LOAD", workstation: "AGENT_LNX02", jobStreamName: "DWH_LOAD",
            commonStatus: testCase.runs.last?.commonStatus ?? testCase.status,
            internalStatus: testCase.runs.last?.internalStatus, runs: testCase.runs)
        let failure = JobFailure(job: job, since: Self.windowStart)
        #expect(failure?.failedRun.returnCode == testCase.failedReturnCode)
        #expect(JobFilter.failed(since: Self.windowStart).admitsRuns(of: job) == (testCase.failedReturnCode != nil))
        #expect(job.failedRuns(since: Self.windowStart).isEmpty == (testCase.failedReturnCode == nil))
        #expect((failure?.recovered ?? false) == testCase.recovered)
    }

    @Test func theRecoveringRunIsTheFirstSuccessAfterTheLastFailure() throws {
        let job = Job(
            id: "job-1", name: "BKP_LOG_SHIP", workstation: "AGENT_DB01", jobStreamName: "BACKUP",
            commonStatus: .successful,
            runs: [
                Self.run(.abend, rc: 4, started: 22, ended: 20),
                Self.run(.succ, rc: 0, started: 19, ended: 18, rerun: true),
            ])
        let failure = try #require(JobFailure(job: job, since: Self.windowStart))
        #expect(failure.failedRun.endTime == Self.minutesAgo(20))
        #expect(failure.recoveredBy?.endTime == Self.minutesAgo(18))
        #expect(job.recoveryRun?.isRerun == true)
    }

    @Test func theWindowEndIsExclusive() {
        let job = Job(
            id: "job-1", name: "J", workstation: "W", jobStreamName: "S", commonStatus: .error,
            runs: [Self.run(.abend, rc: 12, started: 12, ended: 10)])
        #expect(job.failedRuns(since: Self.windowStart, until: Self.minutesAgo(10)).isEmpty)
        #expect(job.failedRuns(since: Self.windowStart, until: Self.minutesAgo(9)).count == 1)
    }

    @Test func aLastRunFilterStillMeansTheCurrentState() {
        // The monitor's filter: a job recovered by its rerun is not failed now.
        let job = Job(
            id: "job-1", name: "J", workstation: "W", jobStreamName: "S", commonStatus: .successful,
            internalStatus: .succ,
            runs: [
                Self.run(.abend, rc: 12, started: 22, ended: 20),
                Self.run(.succ, rc: 0, started: 19, ended: 18, rerun: true),
            ])
        let current = JobFilter(
            commonStatuses: [.error], internalStatuses: InternalStatus.failures, since: Self.windowStart)
        #expect(!current.admitsRuns(of: job))
        #expect(JobFilter.failed(since: Self.windowStart).admitsRuns(of: job))
    }
}
