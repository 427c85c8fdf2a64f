import Foundation
import Monitor
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Failure monitor metrics")
struct MonitorMetricsTests {
    @Test("polls, failures, alerts, digests, recoveries, lag and leadership are exported with bounded labels")
    func exported() async throws {
        _ = TestMetrics.registry
        try await TestDatabases.withDatabase(.sqlite) { database in
            let harness = try MonitorHarness(
                database: database, clock: MonitorTestClock(Date()),
                rules: MonitorRules(storm: StormRule(threshold: 1)), interval: .milliseconds(100))
            let running = Task { try await harness.monitor.run() }
            defer { running.cancel() }
            let first = harness.fail("METRIC_A", secondsAgo: 2)
            _ = harness.fail("METRIC_B", secondsAgo: 2)
            #expect(await eventually { harness.publisher.posts(.failure).count == 2 })
            harness.scheduler.start(first.id, runID: "rerun", at: harness.clock.now())
            harness.scheduler.finish(first.id, rc: 0, at: harness.clock.now())
            #expect(await eventually { harness.publisher.posts(.recovery).count == 1 })
            // The recovery's counters follow its post (once it is stored): cancelling as soon as the post is seen
            // lost them on a loaded CI machine.
            #expect(
                await eventually {
                    TestMetrics.exposition().contains(#"resync_monitor_alerts_sent_total{kind="recovery"}"#)
                })
            running.cancel()
            _ = try await running.value
        }
        let text = TestMetrics.exposition()
        for expected in [
            #"resync_monitor_polls_total{outcome="ok"}"#, "resync_monitor_poll_seconds",
            #"resync_monitor_failures_seen_total{kind="new"}"#, #"resync_monitor_alerts_sent_total{kind="alert"}"#,
            #"resync_monitor_alerts_sent_total{kind="digest"}"#, #"resync_monitor_alerts_sent_total{kind="recovery"}"#,
            "resync_monitor_digests_total", "resync_monitor_recoveries_total", "resync_monitor_alert_lag_seconds",
            "resync_monitor_leader",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        let monitorLines = text.split(separator: "\n").filter { $0.hasPrefix("resync_monitor") }
        #expect(!monitorLines.contains { $0.contains("METRIC_A") || $0.contains("#ops") })
    }
}
