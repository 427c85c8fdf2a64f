import Foundation
import ResyncCore
import Synchronization

/// A doorbell between the HTTP handlers and the background services: "there is new work". A ring wakes the
/// waiting service at once; a ring while nobody waits is kept (one bell, not a count) and ends the next wait
/// immediately. Waits are bounded by a timeout, so a service still looks for work it was not told about.
///
/// The bell used to be a flag polled every 20 ms: a service that finished its work had to sit out the rest of
/// a poll before taking more, which capped the question processor at 4 answers per poll (about 190 answers/s)
/// with the CPU mostly idle, and added up to 20 ms to every reply.
public final class WorkSignal: Sendable {
    private enum Waiter {
        /// Registered, its continuation not handed over yet.
        case arriving
        /// Woken before its continuation arrived; it returns as soon as it does.
        case woken
        case suspended(CheckedContinuation<Void, Never>)
    }

    private struct State {
        var rung = false
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.rung = true
                return []
            }
            var continuations: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters {
                if case .suspended(let continuation) = waiter {
                    continuations.append(continuation)
                    state.waiters[id] = nil
                } else {
                    state.waiters[id] = .woken
                }
            }
            return continuations
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns when rung (clearing the bell) or after `timeout`; throws when the task is cancelled.
    public func wait(upTo timeout: Duration) async throws {
        let id = state.withLock { state -> UInt64? in
            if state.rung {
                state.rung = false
                return nil
            }
            state.nextID += 1
            state.waiters[state.nextID] = .arriving
            return state.nextID
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.wake(id)
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in suspend(id, continuation) }
            } onCancel: {
                wake(id)
            }
            group.cancelAll()
        }
        try Task.checkCancellation()
    }

    private func suspend(_ id: UInt64, _ continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = state.withLock { state -> Bool in
            guard case .arriving = state.waiters[id] else {
                state.waiters[id] = nil
                return true
            }
            state.waiters[id] = .suspended(continuation)
            return false
        }
        if resumeNow { continuation.resume() }
    }

    /// Ends one wait (its timeout or its task's cancellation); a no-op once it has ended.
    private func wake(_ id: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch state.waiters[id] {
            case .suspended(let continuation):
                state.waiters[id] = nil
                return continuation
            case .arriving:
                state.waiters[id] = .woken
                return nil
            case .woken, nil:
                return nil
            }
        }
        continuation?.resume()
    }
}
