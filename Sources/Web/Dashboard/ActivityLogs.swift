import Foundation
import ResyncCore

/// The last alerts and recoveries the monitor posted, newest first; bounded.
public actor AlertActivityLog: AlertActivityRecording {
    public let capacity: Int
    private var items: [AlertActivity] = []

    public init(capacity: Int = 50) { self.capacity = max(1, capacity) }

    public func record(_ activity: AlertActivity) {
        items.insert(activity, at: 0)
        if items.count > capacity { items.removeLast(items.count - capacity) }
    }

    public func recent(limit: Int) -> [AlertActivity] { Array(items.prefix(limit)) }
}

/// Questions per platform, answer latency percentiles over the last `latencySamples` answers, and feedback
/// balance. Memory is bounded: a ring of latencies and one counter per platform.
public actor BotActivityMeter: BotActivityRecording {
    public let latencySamples: Int
    private var questions: [ChatPlatformKind: Int] = [:]
    private var latencies: [Double] = []
    private var nextSlot = 0
    private var positive = 0
    private var negative = 0

    public init(latencySamples: Int = 1_000) { self.latencySamples = max(1, latencySamples) }

    public func recordAnswer(platform: ChatPlatformKind, latencyMilliseconds: Double) {
        questions[platform, default: 0] += 1
        guard latencyMilliseconds.isFinite, latencyMilliseconds >= 0 else { return }
        if latencies.count < latencySamples {
            latencies.append(latencyMilliseconds)
        } else {
            latencies[nextSlot] = latencyMilliseconds
        }
        nextSlot = (nextSlot + 1) % latencySamples
    }

    public func recordFeedback(_ polarity: Feedback.Polarity) {
        switch polarity {
        case .positive: positive += 1
        case .negative: negative += 1
        }
    }

    /// A web vote changed its mind: the earlier vote no longer counts, the new one does. A replica that did not
    /// count the earlier vote (it came through another one, or before a restart) has nothing to take back.
    public func replaceFeedback(_ earlier: Feedback.Polarity, with later: Feedback.Polarity) {
        guard earlier != later else { return }
        switch earlier {
        case .positive: positive = max(0, positive - 1)
        case .negative: negative = max(0, negative - 1)
        }
        recordFeedback(later)
    }

    public func summary() -> DashboardSnapshot.BotActivity {
        let sorted = latencies.sorted()
        return DashboardSnapshot.BotActivity(
            questionsByPlatform: Dictionary(uniqueKeysWithValues: questions.map { ($0.key.rawValue, $0.value) }),
            latencyP50Milliseconds: Self.percentile(sorted, 0.50),
            latencyP95Milliseconds: Self.percentile(sorted, 0.95),
            positiveFeedback: positive, negativeFeedback: negative)
    }

    /// Nearest-rank percentile of already sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
