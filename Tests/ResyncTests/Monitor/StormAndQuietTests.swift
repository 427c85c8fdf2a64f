import Foundation
import Monitor
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("Failure monitor: storms, routing, quiet rules, operator replies")
struct StormAndQuietTests {
    @Test(
        "300 failures in one poll: one digest and 300 alerts in its thread, none lost", arguments: TestEngine.available)
    func storm(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database, rules: MonitorRules(storm: StormRule(threshold: 10)))
            let failed = harness.scheduler.failMany(
                300, stream: "NIGHTLY", at: harness.clock.now().addingTimeInterval(-120))
            // The outbox is down for the first attempt: the digest stays pending and so do its alerts.
            harness.publisher.failNext(1)
            let first = try await harness.monitor.pollOnce()
            #expect(first.newFailures == 300)
            #expect(first.digestsQueued == 0 && first.alertsQueued == 0)
            harness.clock.advance(seconds: 30)
            let second = try await harness.monitor.pollOnce()
            #expect(second.newFailures == 0)
            #expect(second.digestsQueued == 1 && second.alertsQueued == 300)
            try await harness.monitor.pollOnce()

            let digests = harness.publisher.posts(.digest)
            try #require(digests.count == 1)
            #expect(digests[0].message.text.hasPrefix("🔴 300 jobs failed in stream NIGHTLY since "))
            #expect(digests[0].message.text.hasSuffix(" — details in thread"))
            let alerts = harness.publisher.posts(.failure)
            #expect(alerts.count == 300)
            #expect(alerts.allSatisfy { $0.parentHandle == digests[0].handle })
            #expect(Set(alerts.compactMap(\.message.jobName)) == Set(failed.map(\.name)))
            let stored = try await harness.store.recentAlerts(limit: 1000)
            #expect(stored.count == 300 && stored.allSatisfy { $0.status == .posted && $0.digestID != nil })
        }
    }

    @Test("at most K failures are posted one by one", arguments: TestEngine.available)
    func belowThreshold(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database, rules: MonitorRules(storm: StormRule(threshold: 3)))
            _ = harness.scheduler.failMany(3, stream: "NIGHTLY", at: harness.clock.now())
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.digest).isEmpty)
            #expect(harness.publisher.posts(.failure).count == 3)
        }
    }

    /// The access policy's `alertChannels` (Config/access.json) were parsed but never used (found by QA): each
    /// now receives the alerts about its jobs on top of the routed or default channels.
    @Test("alert channels of the access policy receive their jobs' alerts too", arguments: TestEngine.available)
    func accessPolicyAlertChannels(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let policy = try JSONDecoder().decode(
                ChatAccessPolicy.self,
                from: Data(
                    """
                    {"alertChannels": [{"platform": "slack", "channel": "C_PAY", "jobs": ["PAYROLL_*"]},
                                       {"platform": "slack", "channel": "#ops"},
                                       {"platform": "teams", "channel": "workflow"}]}
                    """.utf8))
            let rules = MonitorRules(
                routes: [AlertRoute(name: "etl", match: JobMatcher(job: "ETL_*"), channels: ["slack": ["#etl"]])],
                storm: StormRule(threshold: 1))
            let harness = try MonitorHarness(
                database: database, rules: rules, postingPlatforms: [.slack],
                subscriptions: MonitorWiring.subscriptions(policy))
            _ = harness.fail("PAYROLL_FINAL", stream: "PAYROLL")
            _ = harness.fail("ETL_LOAD", stream: "DWH")
            _ = harness.fail("ETL_MERGE", stream: "DWH")
            try await harness.monitor.pollOnce()
            let byJob = Dictionary(grouping: harness.publisher.posts(.failure)) { $0.message.jobName ?? "" }
            let pay = AlertDestination(platform: .slack, channel: "C_PAY")
            let etl = AlertDestination(platform: .slack, channel: "#etl")
            // Default #ops once (not twice), plus the payroll channel; Teams cannot post here and is left out.
            #expect(byJob["PAYROLL_FINAL"]?.map(\.destination) == [MonitorHarness.ops, pay])
            #expect(byJob["ETL_LOAD"]?.map(\.destination) == [etl, MonitorHarness.ops])
            // Two ETL failures on one route make a digest (threshold 1): it goes to every destination of its alerts.
            let digests = harness.publisher.posts(.digest)
            #expect(Set(digests.map(\.destination)) == [etl, MonitorHarness.ops])
        }
    }

    @Test(
        "routes send by stream, workstation or job glob to every platform's channel; the rest to the ops channels",
        arguments: TestEngine.available)
    func routing(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let rules = MonitorRules(routes: [
                AlertRoute(
                    name: "payroll", match: JobMatcher(jobStream: "PAY*"),
                    channels: ["slack": ["#payroll"], "mattermost": ["mm-payroll"]]),
                AlertRoute(name: "etl", match: JobMatcher(job: "ETL_@"), channels: ["teams": ["workflow"]]),
            ])
            let harness = try MonitorHarness(database: database, rules: rules)
            _ = harness.fail("PAYROLL_FINAL", stream: "PAYROLL")
            _ = harness.fail("ETL_LOAD", stream: "DWH")
            _ = harness.fail("BACKUP", stream: "INFRA")
            try await harness.monitor.pollOnce()
            let byJob = Dictionary(grouping: harness.publisher.posts(.failure)) { $0.message.jobName ?? "" }
            #expect(
                Set(byJob["PAYROLL_FINAL"]?.map(\.destination) ?? [])
                    == [
                        AlertDestination(platform: .slack, channel: "#payroll"),
                        AlertDestination(platform: .mattermost, channel: "mm-payroll"),
                    ])
            #expect(byJob["ETL_LOAD"]?.map(\.destination) == [AlertDestination(platform: .teams, channel: "workflow")])
            #expect(byJob["BACKUP"]?.map(\.destination) == [MonitorHarness.ops])
        }
    }

    @Test(
        "destinations on platforms not configured to post are dropped; a route left with none is skipped",
        arguments: TestEngine.available)
    func unconfiguredPlatforms(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let rules = MonitorRules(routes: [
                AlertRoute(
                    name: "payroll", match: JobMatcher(jobStream: "PAY*"),
                    channels: ["slack": ["#payroll"], "mattermost": ["mm-payroll"]]),
                AlertRoute(name: "etl", match: JobMatcher(job: "ETL_*"), channels: ["mattermost": ["mm-etl"]]),
            ])
            let harness = try MonitorHarness(database: database, rules: rules, postingPlatforms: [.slack])
            _ = harness.fail("PAYROLL_FINAL", stream: "PAYROLL")
            _ = harness.fail("ETL_LOAD", stream: "DWH")
            try await harness.monitor.pollOnce()
            let byJob = Dictionary(grouping: harness.publisher.posts(.failure)) { $0.message.jobName ?? "" }
            #expect(
                byJob["PAYROLL_FINAL"]?.map(\.destination) == [AlertDestination(platform: .slack, channel: "#payroll")])
            #expect(byJob["ETL_LOAD"]?.map(\.destination) == [MonitorHarness.ops])
        }
    }

    @Test(
        "muted jobs and maintenance windows are recorded for the dashboard but not posted",
        arguments: TestEngine.available)
    func quietRules(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let clock = MonitorTestClock()
            let rules = MonitorRules(
                mutes: [MuteRule(match: JobMatcher(job: "TEST_*"), reason: "expected to fail")],
                maintenanceWindows: [
                    MaintenanceWindow(
                        name: "db patching", match: JobMatcher(jobStream: "DB"),
                        from: clock.now().addingTimeInterval(-3600), until: clock.now().addingTimeInterval(3600))
                ])
            let harness = try MonitorHarness(database: database, clock: clock, rules: rules)
            _ = harness.fail("TEST_SMOKE")
            _ = harness.fail("REINDEX", stream: "DB")
            _ = harness.fail("REAL_FAILURE")
            let report = try await harness.monitor.pollOnce()
            #expect(report.newFailures == 3 && report.muted == 2)
            #expect(harness.publisher.posts.map(\.message.jobName) == ["REAL_FAILURE"])
            let recorded = try await harness.store.recentAlerts(limit: 10)
            let reasons = Dictionary(uniqueKeysWithValues: recorded.map { ($0.job.name, $0.quietReason) })
            #expect(reasons["TEST_SMOKE"] == "mute: expected to fail")
            #expect(reasons["REINDEX"] == "maintenance: db patching")
            #expect(reasons["REAL_FAILURE"] == .some(nil))
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts.count == 1)
        }
    }

    @Test(
        "a failure with nowhere to go is recorded as unrouted: not posted, not followed",
        arguments: TestEngine.available)
    func unroutedFailures(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let rules = MonitorRules(routes: [
                AlertRoute(name: "payroll", match: JobMatcher(jobStream: "PAYROLL"), channels: ["slack": ["#payroll"]])
            ])
            let harness = try MonitorHarness(database: database, rules: rules, defaultDestinations: [])
            _ = harness.fail("ETL_LOAD")
            _ = harness.fail("PAYROLL_FINAL", stream: "PAYROLL")
            let report = try await harness.monitor.pollOnce()
            #expect(report.newFailures == 2)
            #expect(report.alertsQueued == 1)
            #expect(report.unrouted == 1)
            #expect(harness.publisher.posts.map(\.message.jobName) == ["PAYROLL_FINAL"])
            let recorded = try await harness.store.recentAlerts(limit: 10)
            let byJob = Dictionary(uniqueKeysWithValues: recorded.map { ($0.job.name, $0) })
            #expect(byJob["ETL_LOAD"]?.status == .unrouted)
            #expect(byJob["ETL_LOAD"]?.quietReason?.hasPrefix("no destination") == true)
            #expect(byJob["PAYROLL_FINAL"]?.status == .posted)
            #expect(try await harness.store.openAlerts(limit: 10).map(\.job.name) == ["PAYROLL_FINAL"])
            let next = try await harness.monitor.pollOnce()
            #expect(next.unrouted == 0 && next.alertsQueued == 0)
        }
    }

    @Test(
        "an operator's reply in an alert thread is kept as a candidate known solution", arguments: TestEngine.available)
    func operatorReplies(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(database: database)
            _ = harness.fail("PAYROLL_FINAL")
            try await harness.monitor.pollOnce()
            let alert = try #require(harness.publisher.posts(.failure).first)
            let recorder = AlertReplyRecorder(store: harness.store)
            let conversation = ConversationRef(platform: .slack, channel: "#ops", thread: "1700000000.0001")
            let kept = try await recorder.operatorReplied(
                AlertThreadReply(
                    threadHandle: alert.handle, author: "U123", text: "Reran after fixing the mount; password=hunter2",
                    conversation: conversation, receivedAt: harness.clock.now()))
            #expect(kept)
            let ignored = try await recorder.operatorReplied(
                AlertThreadReply(
                    threadHandle: "not-an-alert", author: "U123", text: "hello", conversation: conversation,
                    receivedAt: harness.clock.now()))
            #expect(!ignored)
            let candidates = try await harness.store.candidateSolutions(jobName: "PAYROLL_FINAL", limit: 10)
            try #require(candidates.count == 1)
            #expect(candidates[0].errorSignature == "ABEND RC=12")
            #expect(candidates[0].text == "Reran after fixing the mount; password=****")
            #expect(candidates[0].conversation == conversation)
        }
    }
}

@Suite("Failure monitor: storm window")
struct StormWindowTests {
    @Test(
        "within the storm window, failures add up to a digest, and later ones join its thread",
        arguments: TestEngine.available)
    func window(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let harness = try MonitorHarness(
                database: database, rules: MonitorRules(storm: StormRule(threshold: 3, windowSeconds: 300)))
            for name in ["A1", "A2"] { _ = harness.fail(name) }
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.failure).count == 2)
            harness.clock.advance(seconds: 30)
            for name in ["B1", "B2"] { _ = harness.fail(name) }
            try await harness.monitor.pollOnce()
            let digests = harness.publisher.posts(.digest)
            try #require(digests.count == 1)
            #expect(digests[0].message.text.hasPrefix("🔴 2 jobs failed in stream NIGHTLY"))
            harness.clock.advance(seconds: 30)
            _ = harness.fail("C1")
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.digest).count == 1)
            let threaded = harness.publisher.posts(.failure).filter { $0.parentHandle == digests[0].handle }
            #expect(threaded.compactMap(\.message.jobName).sorted() == ["B1", "B2", "C1"])
            harness.clock.advance(seconds: 600)
            _ = harness.fail("D1")
            try await harness.monitor.pollOnce()
            #expect(harness.publisher.posts(.failure).last?.parentHandle == nil)
        }
    }
}
