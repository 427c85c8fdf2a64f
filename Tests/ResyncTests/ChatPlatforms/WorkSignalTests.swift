import ChatPlatforms
import Foundation
import ResyncCore
import Testing

// In the timing pass of scripts/run-tests: in a CI run's first pass (~400 tests on 2 cores) every task of
// this suite once stalled for 12 s together, a 100 ms wait included. The bounds are far below the waits'
// timeouts, so they tell a ring from a timeout, and far above such stalls.
@Suite("Work signal")
struct WorkSignalTests {
    /// A ring must end a wait at once: the bell used to be polled every 20 ms, which capped the processor.
    @Test func aRingWakesTheWaiterWithoutWaitingForItsTimeout() async throws {
        let signal = WorkSignal()
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await signal.wait(upTo: .seconds(300)) }
            try await Task.sleep(for: .milliseconds(50))
            signal.ring()
            try await group.waitForAll()
        }
        #expect(clock.now - started < .seconds(120))
    }

    @Test func aRingWithNobodyWaitingEndsTheNextWaitOnly() async throws {
        let signal = WorkSignal()
        signal.ring()
        signal.ring()
        let clock = ContinuousClock()
        let first = try await clock.measure { try await signal.wait(upTo: .seconds(300)) }
        let second = try await clock.measure { try await signal.wait(upTo: .milliseconds(200)) }
        #expect(first < .seconds(120))
        #expect(second >= .milliseconds(200))
    }

    @Test func aWaitEndsAtItsTimeoutWhenNobodyRings() async throws {
        let signal = WorkSignal()
        let elapsed = try await ContinuousClock().measure { try await signal.wait(upTo: .milliseconds(100)) }
        #expect(elapsed >= .milliseconds(100))
        #expect(elapsed < .seconds(120))
    }

    @Test func cancellingTheWaitingTaskEndsTheWaitWithAnError() async throws {
        let signal = WorkSignal()
        let waiter = Task { try await signal.wait(upTo: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func everyWaiterIsWokenByOneRing() async throws {
        let signal = WorkSignal()
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await signal.wait(upTo: .seconds(300)) } }
            try await Task.sleep(for: .milliseconds(100))
            signal.ring()
            try await group.waitForAll()
        }
        #expect(clock.now - started < .seconds(120))
    }
}
