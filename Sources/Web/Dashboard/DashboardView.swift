import Foundation
import ResyncCore

/// The dashboard snapshot turned into what the template prints: formatted, labelled, with chart SVG.
/// Text values are escaped by the template; only `statusChart` and `sparkline` are raw (built by `SVGCharts`).
struct DashboardView {
    struct EngineView {
        var reachable: Bool
        var version: String
        var timeZone: String
        var breaker: String?
        var lastGood: String
        var problem: String?
        var stale: Bool
    }

    struct WorkstationView {
        var name: String
        var type: String
        var linkText: String
        var runText: String
        var attention: Bool
    }

    struct LegendItem {
        var status: String
        var count: Int
        var percent: String
        var cssClass: String
    }

    struct FailureView {
        var name: String
        var qualifiedName: String
        var status: String
        var returnCode: String?
        var endedAt: String
        /// "recovered · 15:39" when a rerun succeeded after the failure.
        var recovered: String?
        var askURL: String
    }

    struct AlertView {
        var isRecovery: Bool
        var kindLabel: String
        var jobName: String
        var summary: String
        var at: String
    }

    struct PlatformView {
        var platform: String
        var count: Int
    }

    var labels: DashboardLabels
    var engine: EngineView
    /// False until HWA has answered once: sections then say "no data" instead of "nothing wrong".
    var hasSchedulerData: Bool
    var workstations: [WorkstationView]
    var attentionCount: Int
    var hasAttention: Bool
    var statusChart: String
    var legend: [LegendItem]
    var hasJobs: Bool
    var failures: [FailureView]
    var failuresHeading: String
    var sparkline: String
    var sparkCaption: String
    var alerts: [AlertView]
    var platforms: [PlatformView]
    var hasQuestions: Bool
    var latency: String
    var feedbackBalance: String
    var balanceClass: String
    var positive: Int
    var negative: Int
    var kbEntries: String
    var kbLastImport: String
    var kbErrors: Int
    var kbProblem: String?
    var generatedAt: String

    init(_ snapshot: DashboardSnapshot, language: Language) {
        let labels = DashboardLabels.of(language)
        let now = snapshot.generatedAt
        self.labels = labels
        hasSchedulerData = snapshot.engine.lastSuccessfulPoll != nil
        engine = EngineView(
            reachable: snapshot.engine.reachable, version: snapshot.engine.info?.version ?? "—",
            timeZone: snapshot.engine.info?.timeZone ?? "—", breaker: snapshot.engine.breakerState,
            lastGood: snapshot.engine.lastSuccessfulPoll.map { TimeText.stamp($0, now: now, language: language) }
                ?? labels.never,
            problem: snapshot.engine.problem,
            stale: !snapshot.engine.reachable && snapshot.engine.lastSuccessfulPoll != nil)
        workstations = snapshot.workstations.map { workstation in
            WorkstationView(
                name: workstation.name.trimmingLeadingSlash, type: workstation.type ?? "",
                linkText: workstation.linked == false ? labels.unlinked : labels.linked,
                runText: workstation.running == false ? labels.stopped : labels.running,
                attention: workstation.needsAttention)
        }
        attentionCount = snapshot.workstations.filter(\.needsAttention).count
        hasAttention = attentionCount > 0
        let total = snapshot.statusCounts.reduce(0) { $0 + $1.count }
        hasJobs = total > 0
        legend = snapshot.statusCounts.map { count in
            LegendItem(
                status: count.status, count: count.count,
                percent: total == 0 ? "0%" : String(format: "%.0f%%", Double(count.count) * 100 / Double(total)),
                cssClass: StatusPalette.cssClass(count.status))
        }
        statusChart = SVGCharts.donut(
            snapshot.statusCounts.map {
                .init(label: $0.status, value: $0.count, color: StatusPalette.color($0.status))
            },
            centerCaption: labels.totalJobs)
        failuresHeading = String(format: labels.failuresWindow, snapshot.failureWindowHours)
        failures = snapshot.failures.prefix(25).map { failure in
            FailureView(
                name: failure.jobName, qualifiedName: failure.qualifiedName, status: failure.status,
                returnCode: failure.returnCode.map { "\(labels.returnCode) \($0)" },
                endedAt: failure.endedAt.map { TimeText.stamp($0, now: now, language: language) } ?? "—",
                recovered: failure.recoveredAt.map {
                    "\(labels.recovery) · \(TimeText.stamp($0, now: now, language: language))"
                },
                askURL: Self.askURL(job: failure.jobName, language: language))
        }
        let buckets = Self.hourlyBuckets(snapshot.failures, hours: snapshot.failureWindowHours, now: now)
        sparkCaption = "\(labels.failuresOverTime) · max \(buckets.max() ?? 0)"
        sparkline = SVGCharts.sparkline(buckets, label: sparkCaption)
        alerts = snapshot.alerts.map { alert in
            AlertView(
                isRecovery: alert.kind == .recovery,
                kindLabel: alert.kind == .recovery ? labels.recovery : labels.alert,
                jobName: alert.jobName, summary: alert.summary,
                at: TimeText.stamp(alert.at, now: now, language: language))
        }
        platforms = snapshot.bot.questionsByPlatform.sorted { $0.key < $1.key }.map {
            PlatformView(platform: $0.key, count: $0.value)
        }
        hasQuestions = !platforms.isEmpty
        latency = Self.latencyText(snapshot.bot)
        positive = snapshot.bot.positiveFeedback
        negative = snapshot.bot.negativeFeedback
        let balance = positive - negative
        feedbackBalance = balance > 0 ? "+\(balance)" : "\(balance)"
        balanceClass = balance > 0 ? "up" : balance < 0 ? "down" : "even"
        kbEntries = snapshot.knowledge.stats.map { "\($0.entries)" } ?? "—"
        kbLastImport =
            snapshot.knowledge.stats?.lastImport.map { TimeText.stamp($0, now: now, language: language) }
            ?? labels.never
        kbErrors = snapshot.knowledge.stats?.lastImportErrors ?? 0
        kbProblem = snapshot.knowledge.problem
        generatedAt = TimeText.clock(now)
    }

    static func askURL(job: String, language: Language) -> String {
        let question = language == .english ? "why did \(job) fail?" : "por que o job \(job) falhou?"
        var components = URLComponents()
        components.path = "/"
        components.queryItems = [URLQueryItem(name: "q", value: question)]
        return components.string ?? "/"
    }

    static func latencyText(_ bot: DashboardSnapshot.BotActivity) -> String {
        guard let p50 = bot.latencyP50Milliseconds, let p95 = bot.latencyP95Milliseconds else { return "—" }
        return "p50 \(Int(p50.rounded())) ms · p95 \(Int(p95.rounded())) ms"
    }

    /// Failures per hour over the window, oldest hour first.
    static func hourlyBuckets(_ failures: [DashboardSnapshot.Failure], hours: Int, now: Date) -> [Int] {
        let hours = max(hours, 1)
        var buckets = Array(repeating: 0, count: hours)
        for failure in failures {
            guard let ended = failure.endedAt else { continue }
            let age = now.timeIntervalSince(ended)
            guard age >= 0 else { buckets[hours - 1] += 1; continue }
            let index = hours - 1 - Int(age / 3600)
            if index >= 0 { buckets[index] += 1 }
        }
        return buckets
    }
}

/// Colours and classes per job status, shared by the donut and the legend.
enum StatusPalette {
    static func color(_ status: String) -> String {
        switch status {
        case "SUCCESSFUL": "#22c55e"
        case "ERROR": "#ef4444"
        case "RUNNING": "#3b82f6"
        case "READY": "#06b6d4"
        case "WAITING": "#94a3b8"
        case "HELD": "#f59e0b"
        case "BLOCKED": "#f97316"
        case "UNDECIDED": "#a855f7"
        case "CANCELED": "#64748b"
        default: "#cbd5e1"
        }
    }

    static func cssClass(_ status: String) -> String {
        "st-" + status.lowercased().filter { $0.isLetter }
    }
}

/// Times as operators read them on a wall screen: UTC clock, and how long ago.
enum TimeText {
    static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d UTC", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    static func stamp(_ date: Date, now: Date, language: Language) -> String {
        "\(clock(date)) (\(ago(date, now: now, language: language)))"
    }

    static func ago(_ date: Date, now: Date, language: Language) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        let amount: String =
            switch seconds {
            case ..<60: "\(seconds) s"
            case ..<3600: "\(seconds / 60) min"
            case ..<86_400: "\(seconds / 3600) h"
            default: "\(seconds / 86_400) d"
            }
        return language == .english ? "\(amount) ago" : "há \(amount)"
    }
}
