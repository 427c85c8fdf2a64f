import Foundation
import Monitor
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Failure monitor: alerts, recoveries, restarts")
struct FailureMonitorTests {
    @Test(
        "EXEC → ABEND is alerted once with the KB procedure and owner; the rerun's success replies in its thread",
        arguments: TestEngine.available)
    func alertThenRecovery(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            let job = ScriptedScheduler.job("PAYROLL_FINAL", stream: "PAYROLL")
            harness.scheduler.add(job)
            harness.scheduler.start(job.id, runID: "run-1", at: harness.clock.now())
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts.isEmpty)

            harness.clock.advance(seconds: 30)
            harness.scheduler.finish(job.id, rc: 12, at: harness.clock.now())
            harness.clock.advance(seconds: 30)
            let report = try await harness.monitor.pollOnce()
            #expect(report.newFailures == 1)
            harness.clock.advance(seconds: 30)
            try await harness.monitor.pollOnce()

            let alerts = harness.publisher.posts(.failure)
            try #require(alerts.count == 1)
            let alert = alerts[0]
            #expect(alert.destination == MonitorHarness.ops)
            #expect(alert.parentHandle == nil)
            #expect(alert.message.text.contains("PAYROLL_FINAL failed (ABEND, rc 12)"))
            let answer = try #require(alert.message.answer)
            #expect(
                answer.diagnosis.procedures.first?.entry.procedure == "Check the input file, then rerun PAYROLL_FINAL")
            #expect(answer.owner?.owner == "Team Payroll")

            harness.scheduler.start(job.id, runID: "run-2", at: harness.clock.now())
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.recovery).isEmpty)

            harness.clock.advance(seconds: 60)
            harness.scheduler.finish(job.id, rc: 0, at: harness.clock.now())
            let recovered = try await harness.monitor.pollOnce()
            #expect(recovered.recoveries == 1)
            try await harness.monitor.pollOnce()
            let replies = harness.publisher.posts(.recovery)
            try #require(replies.count == 1)
            #expect(replies[0].parentHandle == alert.handle)
            #expect(replies[0].destination == MonitorHarness.ops)
            #expect(replies[0].message.text.contains("AGT01#PAYROLL.PAYROLL_FINAL recovered at"))
            #expect(replies[0].message.text.hasSuffix("rc 0, by rerun 1"))
            let stored = try await harness.store.recentAlerts(limit: 10)
            #expect(stored.map(\.status) == [.recovered])
            #expect(stored.first?.recovery?.rerun == 1)
        }
    }

    @Test("a rerun that fails again is a new alert; the old one is superseded", arguments: TestEngine.available)
    func rerunFailingAgain(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            _ = harness.fail("ETL_LOAD", run: "1")
            try await harness.monitor.pollOnce()
            harness.clock.advance(seconds: 120)
            _ = harness.fail("ETL_LOAD", run: "2", rc: 4)
            try await harness.monitor.pollOnce()
            try await harness.monitor.pollOnce()
            let alerts = harness.publisher.posts(.failure)
            #expect(alerts.count == 2)
            #expect(alerts.last?.message.text.contains("rc 4") == true)
            let statuses = try await harness.store.recentAlerts(limit: 10).map(\.status)
            #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.posted, .superseded])
        }
    }

    @Test(
        "a restart neither re-alerts old failures nor misses one that happened while down",
        arguments: TestEngine.available)
    func restart(engine: TestEngine) async throws {
        let location = try await TestDatabases.makeLocation(engine)
        let scheduler = ScriptedScheduler()
        let clock = MonitorTestClock()
        try await TestDatabases.withDatabase(at: location) { database in
            let before = try MonitorHarness(database: database, scheduler: scheduler, clock: clock)
            _ = before.fail("BEFORE_RESTART")
            try await before.monitor.pollOnce()
            #expect(before.publisher.posts(.failure).count == 1)
        }
        // Down for ten minutes; a job fails meanwhile.
        clock.advance(seconds: 300)
        let during = ScriptedScheduler.job("DURING_DOWNTIME")
        scheduler.add(during)
        scheduler.start(during.id, runID: "d1", at: clock.now().addingTimeInterval(-30))
        scheduler.finish(during.id, rc: 8, at: clock.now())
        clock.advance(seconds: 300)
        try await TestDatabases.withDatabase(at: location) { database in
            let after = try MonitorHarness(database: database, scheduler: scheduler, clock: clock)
            try await after.monitor.pollOnce()
            let posts = after.publisher.posts(.failure)
            #expect(posts.count == 1)
            #expect(posts.first?.message.jobName == "DURING_DOWNTIME")
        }
    }

    @Test("on a first start, failures older than the catch-up window are not alerted", arguments: TestEngine.available)
    func catchUpWindow(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(
                database: database, rules: MonitorRules(catchUpWindowSeconds: 3600))
            _ = harness.fail("ANCIENT", secondsAgo: 7200)
            _ = harness.fail("RECENT", secondsAgo: 600)
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.failure).map(\.message.jobName) == ["RECENT"])
        }
    }

    @Test("a failed publish is retried next poll and nothing is posted twice", arguments: TestEngine.available)
    func publishRetry(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            _ = harness.fail("FLAKY_OUTBOX")
            harness.publisher.failNext(1)
            let first = try await harness.monitor.pollOnce()
            #expect(first.alertsQueued == 0)
            #expect(try await harness.store.pendingAlerts(limit: 10).count == 1)
            let second = try await harness.monitor.pollOnce()
            #expect(second.alertsQueued == 1)
            #expect(harness.publisher.posts(.failure).count == 1)
        }
    }

    @Test("the job leaving the plan closes its alert without a reply", arguments: TestEngine.available)
    func leftPlan(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            let job = harness.fail("OLD_PLAN_JOB")
            try await harness.monitor.pollOnce()
            harness.scheduler.remove(jobID: job.id)
            let report = try await harness.monitor.pollOnce()
            #expect(report.closed == 1)
            #expect(harness.publisher.posts(.recovery).isEmpty)
            #expect(try await harness.store.openAlerts(limit: 10).isEmpty)
        }
    }

    @Test(
        "HWA unreachable: the poll fails, records nothing, and the next poll catches up",
        arguments: TestEngine.available)
    func schedulerDown(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            _ = harness.fail("WHILE_HWA_DOWN")
            harness.scheduler.setFailure(.unreachable("connection refused"))
            await #expect(throws: SchedulerError.self) { try await harness.monitor.pollOnce() }
            #expect(try await harness.store.watermark() == nil)
            harness.scheduler.setFailure(nil)
            harness.clock.advance(seconds: 30)
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.failure).count == 1)
        }
    }

    @Test(
        "recovery look-ups are capped per poll and rotate, so every open alert gets its turn",
        arguments: TestEngine.available)
    func recoveryRotation(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database, recoveryChecksPerPoll: 1)
            let jobs = ["ROT_A", "ROT_B", "ROT_C"].map { harness.fail($0) }
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.failure).count == 3)
            // Later polls no longer see these failures in their window, so each open alert needs a look-up.
            harness.clock.advance(seconds: 900)
            harness.scheduler.start(jobs[2].id, runID: "rerun", at: harness.clock.now())
            harness.scheduler.finish(jobs[2].id, rc: 0, at: harness.clock.now())
            let lookupsBefore = harness.scheduler.lookupCalls
            for _ in 0..<3 {
                harness.clock.advance(seconds: 30)
                try await harness.monitor.pollOnce()
            }
            #expect(harness.scheduler.lookupCalls - lookupsBefore == 3)
            #expect(harness.publisher.posts(.recovery).map(\.message.jobName) == ["ROT_C"])
        }
    }

    @Test(
        "failures recorded but not yet queued when the process stopped are queued by the next instance, once",
        arguments: TestEngine.available)
    func pendingSurvivesRestart(engine: TestEngine) async throws {
        let location = try await TestDatabases.makeLocation(engine)
        let scheduler = ScriptedScheduler()
        let clock = MonitorTestClock()
        try await TestDatabases.withDatabase(at: location) { database in
            let before = try MonitorHarness(database: database, scheduler: scheduler, clock: clock)
            _ = before.fail("QUEUED_LATER")
            before.publisher.failNext(1)
            try await before.monitor.pollOnce()
            #expect(before.publisher.posts.isEmpty)
        }
        clock.advance(seconds: 60)
        try await TestDatabases.withDatabase(at: location) { database in
            let after = try MonitorHarness(database: database, scheduler: scheduler, clock: clock)
            try await after.monitor.pollOnce()
            try await after.monitor.pollOnce()
            #expect(after.publisher.posts(.failure).map(\.message.jobName) == ["QUEUED_LATER"])
            #expect(try await after.store.pendingAlerts(limit: 10).isEmpty)
        }
    }

    @Test(
        "queuing is retried a bounded number of times, then the alert is marked failed", arguments: TestEngine.available
    )
    func boundedRetries(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            _ = harness.fail("NEVER_QUEUED")
            harness.publisher.failNext(1_000)
            for _ in 0..<5 {
                harness.clock.advance(seconds: 30)
                try await harness.monitor.pollOnce()
            }
            let alert = try #require(try await harness.store.recentAlerts(limit: 1).first)
            #expect(alert.status == .failed && alert.attempts == 5)
            #expect(alert.lastError?.contains("outbox is unavailable") == true)
            #expect(try await harness.store.pendingAlerts(limit: 10).isEmpty)
        }
    }
}
