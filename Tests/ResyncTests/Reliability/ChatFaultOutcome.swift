import ChatPlatforms
import Foundation
import ResyncCore
import TestSupport
import Web

/// What the fake Slack received and what the outbox recorded after a chat-fault run, read once, with the checks
/// the fault case makes: each answer posted once in its thread, calls matching recorded attempts, `Retry-After`
/// and per-channel pacing kept, terminal failures sent once.
struct ChatFaultOutcome {
    let posts: [FakeSlackCall]
    let items: [OutboxItem]
    let events: [(channel: String, ts: String)]
    let goneChannel: String

    static func read(
        slack: FakeSlackServer, chat: ChatRuntime, events: [(channel: String, ts: String)], goneChannel: String
    ) async throws -> ChatFaultOutcome {
        ChatFaultOutcome(
            posts: await slack.state.calls("chat.postMessage"),
            items: try await chat.outbox.list(status: nil, limit: 10_000), events: events, goneChannel: goneChannel)
    }

    private var delivered: [String: Int] {
        Dictionary(grouping: posts.filter { $0.reply == .ok }, by: { "\($0.channel ?? ""):\($0.threadTS ?? "")" })
            .mapValues(\.count)
    }

    /// Questions outside the terminal channel whose answer was posted exactly once, in their thread.
    var answeredOnce: Int {
        let delivered = delivered
        return events.filter { $0.channel != goneChannel && delivered["\($0.channel):\($0.ts)"] == 1 }.count
    }

    var duplicated: Int { delivered.values.filter { $0 > 1 }.count }

    /// Items of the terminal channel recorded failed after a single call, with Slack's reason.
    var goneFailedOnce: Int {
        let goneCalls = posts.filter { $0.channel == goneChannel }.count
        let failed = items.filter {
            $0.channel == goneChannel && $0.status == .failed && $0.attempts == 1
                && $0.lastError?.contains("channel_not_found") == true
        }
        return goneCalls == failed.count ? failed.count : -goneCalls
    }

    var calls: Int { posts.count }
    var attempts: Int { items.map(\.attempts).reduce(0, +) }
    var callsMatchAttempts: Bool { calls == attempts }
    var maxAttempts: Int { items.map(\.attempts).max() ?? 0 }
    var faults: Int { posts.filter { $0.reply != .ok }.count }

    private var byChannel: [[FakeSlackCall]] {
        Dictionary(grouping: posts, by: { $0.channel ?? "" }).values.map { $0.sorted { $0.receivedAt < $1.receivedAt } }
    }

    /// For each 429: (the wait asked for, the time until the channel's next call).
    private var retryAfterWaits: [(asked: TimeInterval, waited: TimeInterval)] {
        byChannel.flatMap { calls in
            zip(calls, calls.dropFirst()).compactMap { call, next -> (TimeInterval, TimeInterval)? in
                guard case .rateLimited(let seconds) = call.reply else { return nil }
                return (TimeInterval(seconds), next.receivedAt.timeIntervalSince(call.receivedAt))
            }
        }
    }

    /// Calls that came sooner after a 429 than its `Retry-After` (50 ms of clock slack allowed).
    var retryAfterViolations: Int { retryAfterWaits.filter { $0.waited < $0.asked - 0.05 }.count }

    var shortestRetryAfterWait: Duration { .seconds(retryAfterWaits.map(\.waited).min() ?? 0) }

    private var gaps: [TimeInterval] {
        byChannel.flatMap { calls in
            zip(calls, calls.dropFirst()).map { $1.receivedAt.timeIntervalSince($0.receivedAt) }
        }
    }

    var shortestGap: Duration { .seconds(gaps.min() ?? 0) }

    /// Calls are timed where they arrive, so one delivery delayed by a busy machine shortens the gap after it
    /// (and lengthens the one before). A channel breaks its pacing when its calls span less than
    /// (calls − 1) × pacing less `jitter` (delays do not add up over a channel), or when two calls arrive
    /// closer than half the pacing (the test picks a pacing wide enough that no scheduling delay explains that).
    func pacingViolations(pacing: Duration, jitter: Duration) -> Int {
        let step = Self.seconds(pacing)
        let shortSpans = byChannel.filter { calls in
            guard let first = calls.first, let last = calls.last, calls.count > 1 else { return false }
            return last.receivedAt.timeIntervalSince(first.receivedAt) < Double(calls.count - 1) * step
                - Self.seconds(jitter)
        }
        return shortSpans.count + gaps.filter { $0 < step / 2 }.count
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.inSeconds
    }

    /// Every call carried the bot token (so the canary really was in play).
    func tokenSent(_ token: String) -> Bool { posts.allSatisfy { $0.authorization == "Bearer \(token)" } }

    /// Canaries found in the logs, the metrics, the bodies sent to Slack or the outbox rows.
    func leaks(canaries: [String], logs: String) -> [String] {
        // An empty capture would make "no canary in the logs" meaningless.
        guard logs.contains("chat send will be retried") else { return ["(no outbox log lines were captured)"] }
        let outputs = [
            logs, TestMetrics.exposition(), posts.map(\.body).joined(separator: "\n"),
            items.map { "\($0.payload) \($0.lastError ?? "")" }.joined(separator: "\n"),
        ]
        return canaries.filter { canary in outputs.contains { $0.contains(canary) } }
    }
}
