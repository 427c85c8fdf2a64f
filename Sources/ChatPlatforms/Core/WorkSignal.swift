import Foundation
import ResyncCore
import Synchronization

/// A doorbell between the HTTP handlers and the background services: "there is new work". Waiting is a
/// short poll of a flag, bounded by a timeout, so a missed ring costs at most one poll interval.
public final class WorkSignal: Sendable {
    private let rung = Mutex(false)

    public init() {}

    public func ring() {
        rung.withLock { $0 = true }
    }

    /// Returns when rung (clearing the bell) or after `timeout`; throws when the task is cancelled.
    public func wait(upTo timeout: Duration) async throws {
        let step = Duration.milliseconds(20)
        var waited = Duration.zero
        while waited < timeout {
            if rung.withLock({ value in
                defer { value = false }
                return value
            }) {
                return
            }
            try await Task.sleep(for: min(step, timeout - waited))
            waited += step
        }
    }
}
