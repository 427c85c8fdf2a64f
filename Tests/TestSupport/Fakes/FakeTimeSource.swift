import Foundation
import ResyncCore
import Synchronization

/// A clock tests set by hand. `sleep` advances the clock instead of waiting, unless `realSleep` is on,
/// in which case it also waits (for tests that need real elapsed time as latency).
public final class FakeTimeSource: TimeSource {
    private let current: Mutex<Date>
    private let realSleep: Bool

    public init(now: Date = Date(timeIntervalSince1970: 1_795_000_000), realSleep: Bool = false) {
        current = Mutex(now)
        self.realSleep = realSleep
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.inSeconds) }
    }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        if realSleep { try await Task.sleep(for: duration) } else { await Task.yield() }
        advance(by: duration)
    }
}
