import Metrics

/// The monitor's metrics. Labels are bounded: fixed outcome and kind words only, never a job or channel.
enum MonitorMetrics {
    static func poll(outcome: String, seconds: Double) {
        Counter(label: "resync_monitor_polls_total", dimensions: [("outcome", outcome)]).increment()
        Timer(label: "resync_monitor_poll_seconds").recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    /// Failures seen in a poll: `new`, `known` or `muted`.
    static func failures(_ kind: String, _ count: Int) {
        guard count > 0 else { return }
        Counter(label: "resync_monitor_failures_seen_total", dimensions: [("kind", kind)]).increment(by: Int64(count))
    }

    /// Failures recorded as `unrouted`: nowhere to post them.
    static func unrouted(_ count: Int) {
        Counter(label: "resync_monitor_alerts_unrouted_total").increment(by: Int64(count))
    }

    /// Messages queued: `alert`, `digest` or `recovery`.
    static func sent(_ kind: String) {
        Counter(label: "resync_monitor_alerts_sent_total", dimensions: [("kind", kind)]).increment()
    }

    static func recovery() {
        Counter(label: "resync_monitor_recoveries_total").increment()
    }

    static func digest() {
        Counter(label: "resync_monitor_digests_total").increment()
    }

    /// From the failed run's end (HWA's clock) to the alert being queued.
    static func lag(seconds: Double) {
        Timer(label: "resync_monitor_alert_lag_seconds").recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }

    static func publishError() {
        Counter(label: "resync_monitor_publish_errors_total").increment()
    }

    static func leading(_ isLeader: Bool) {
        Gauge(label: "resync_monitor_leader").record(isLeader ? 1 : 0)
    }
}
