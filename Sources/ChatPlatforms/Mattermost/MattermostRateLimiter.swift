import Foundation
import NIOHTTP1
import ResyncCore

/// Follows Mattermost's `X-Ratelimit-Limit/Remaining/Reset` headers: when the last response said no
/// request is left, the next one waits for the reset (at most `maximumWait`) instead of earning a 429.
actor MattermostRateLimiter {
    private let time: any TimeSource
    private let maximumWait: Duration
    private var blockedUntil: Date?

    init(time: any TimeSource, maximumWait: Duration) {
        self.time = time
        self.maximumWait = maximumWait
    }

    func waitForCapacity() async {
        guard let until = blockedUntil else { return }
        let seconds = until.timeIntervalSince(time.now())
        guard seconds > 0 else {
            blockedUntil = nil
            return
        }
        try? await time.sleep(for: min(.milliseconds(Int64(seconds * 1000)), maximumWait))
    }

    func record(_ headers: HTTPHeaders) {
        guard let remaining = headers.first(name: "X-Ratelimit-Remaining").flatMap(Int.init) else { return }
        if remaining > 0 {
            blockedUntil = nil
        } else if let reset = headers.first(name: "X-Ratelimit-Reset").flatMap(Double.init) {
            blockedUntil = Self.resetDate(reset, now: time.now())
        }
    }

    /// The wait a 429 asks for: `Retry-After`, else `X-Ratelimit-Reset`, else one second.
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration {
        if let seconds = headers.first(name: "Retry-After").flatMap(Double.init) {
            return .milliseconds(Int64(max(0, seconds) * 1000))
        }
        if let reset = headers.first(name: "X-Ratelimit-Reset").flatMap(Double.init) {
            return .milliseconds(Int64(max(0, resetDate(reset, now: now).timeIntervalSince(now)) * 1000))
        }
        return .seconds(1)
    }

    /// Mattermost sends the seconds left until the window resets; an absolute UNIX time is accepted too.
    static func resetDate(_ value: Double, now: Date) -> Date {
        value > 1_000_000_000 ? Date(timeIntervalSince1970: value) : now.addingTimeInterval(value)
    }
}
