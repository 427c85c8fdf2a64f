import Foundation

/// The wall clock and sleeping, injected so tests control time.
public protocol TimeSource: Sendable {
    /// The current instant.
    func now() -> Date
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

extension Duration {
    /// Seconds as a `Double` (a `TimeInterval`), for `Date` arithmetic, measurements and messages.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Milliseconds as a `Double`, for latencies in answers, metrics and benchmark tables.
    public var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e3 + Double(attoseconds) / 1e15
    }
}

/// The real clock.
public struct SystemTimeSource: TimeSource {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
