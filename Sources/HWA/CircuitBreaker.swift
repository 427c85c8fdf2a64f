import Foundation
import Metrics
import ResyncCore

/// The breaker's state, as shown in `/readyz` and as the `hwa_circuit_breaker_state` gauge (0, 1, 2).
public enum HWABreakerState: String, Sendable, Hashable {
    case closed, halfOpen = "half_open", open

    var gaugeValue: Double {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}

/// Stops calling an engine that keeps failing, so a bad day at HWA does not turn into piled-up requests.
/// Opens after `failureThreshold` consecutive unavailability failures; after `coolDown` lets one probe through
/// (half-open); the probe's outcome closes or re-opens it.
actor CircuitBreaker {
    private let policy: HWABreakerPolicy
    private let timeSource: any TimeSource
    private let gauge = Gauge(label: "hwa_circuit_breaker_state")
    private var consecutiveFailures = 0
    private var openedAt: Date?
    private var probeInFlight = false
    private(set) var state: HWABreakerState = .closed

    init(policy: HWABreakerPolicy, timeSource: any TimeSource) {
        self.policy = policy
        self.timeSource = timeSource
        gauge.record(HWABreakerState.closed.gaugeValue)
    }

    /// Asks to make a call. Throws `circuitOpen` while open, or while a half-open probe is already out.
    func acquire() throws {
        switch state {
        case .closed:
            return
        case .open:
            let elapsed = openedAt.map { timeSource.now().timeIntervalSince($0) } ?? 0
            let remaining = policy.coolDown.inSeconds - elapsed
            guard remaining <= 0 else { throw SchedulerError.circuitOpen(retryAfterSeconds: remaining.rounded(.up)) }
            transition(to: .halfOpen)
            probeInFlight = true
        case .halfOpen:
            guard !probeInFlight else { throw SchedulerError.circuitOpen(retryAfterSeconds: 1) }
            probeInFlight = true
        }
    }

    /// The call reached HWA and HWA answered (even with a 4xx: the engine is up).
    func recordSuccess() {
        consecutiveFailures = 0
        probeInFlight = false
        openedAt = nil
        if state != .closed { transition(to: .closed) }
    }

    /// The call failed for lack of HWA (connection error, timeout, 5xx, throttled after retries).
    func recordFailure() {
        probeInFlight = false
        consecutiveFailures += 1
        if state == .halfOpen || consecutiveFailures >= policy.failureThreshold {
            openedAt = timeSource.now()
            transition(to: .open)
        }
    }

    /// A call that was let through ended without an answer either way (cancelled): free the probe slot.
    func recordAbandoned() {
        probeInFlight = false
    }

    private func transition(to newState: HWABreakerState) {
        state = newState
        gauge.record(newState.gaugeValue)
    }
}
