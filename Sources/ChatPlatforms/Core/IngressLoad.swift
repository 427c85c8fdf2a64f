import Synchronization

/// How hard chat platforms are pushing questions in right now, so that the question processor can step aside
/// while they do. The acknowledgements have a deadline (Slack retries after 3 s, which multiplies the storm);
/// the answers have none. Nice levels cannot express this: on Linux a thread's `nice` is inherited by every
/// thread it creates, and libdispatch creates the cooperative pool's workers from whichever thread happens to
/// enqueue work, so a niced answering thread leaves niced pool threads behind that later serve requests.
///
/// Counts deliveries in fixed windows; the ingress is busy while the current or the previous window holds at
/// least `busyAt` of them.
public final class IngressLoad: Sendable {
    public struct Options: Sendable {
        public var window: Duration
        public var busyAt: Int

        /// 50 deliveries in 250 ms (200/s) is a storm: a team asks a few questions a minute.
        public init(window: Duration = .milliseconds(250), busyAt: Int = 50) {
            self.window = window
            self.busyAt = max(1, busyAt)
        }
    }

    private struct State {
        var windowStart: ContinuousClock.Instant
        var current = 0
        var previous = 0
    }

    public let options: Options
    private let state: Mutex<State>

    public init(options: Options = Options(), now: ContinuousClock.Instant = .now) {
        self.options = options
        self.state = Mutex(State(windowStart: now))
    }

    /// Counts one delivery (accepted or duplicate: both cost an acknowledgement).
    public func noteDelivery(at now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            rotate(&state, to: now)
            state.current += 1
        }
    }

    public func isBusy(at now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            rotate(&state, to: now)
            return max(state.current, state.previous) >= options.busyAt
        }
    }

    private func rotate(_ state: inout State, to now: ContinuousClock.Instant) {
        let elapsed = now - state.windowStart
        guard elapsed >= options.window else { return }
        state.previous = elapsed < options.window * 2 ? state.current : 0
        state.current = 0
        state.windowStart = now
    }
}
