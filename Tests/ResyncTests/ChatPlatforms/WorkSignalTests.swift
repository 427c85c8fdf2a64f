import ChatPlatforms
import Foundation
import ResyncCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// In the timing pass of scripts/run-tests: in a CI run's first pass (~400 tests on 2 cores) every task of
// this suite once stalled for 12 s together, a 100 ms wait included. The bounds are far below the waits'
// timeouts, so they tell a ring from a timeout, and far above such stalls.
@Suite("Work signal and background executor")
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

    #if os(Linux)
        @Test func backgroundExecutorRunsTasksAndTheirChildrenOnItsNamedNicedThreads() async {
            let executor = BackgroundExecutor(name: "test-bg", threads: 2, niceness: 15)
            let seen = await withTaskExecutorPreference(executor) {
                await withTaskGroup(of: String.self) { group in
                    for _ in 0..<16 {
                        group.addTask {
                            await Task.yield()
                            let niceness = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
                            return "\(name.trimmingCharacters(in: .whitespacesAndNewlines)) nice \(niceness)"
                        }
                    }
                    return await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
            }
            executor.shutdown()
            #expect(!seen.isEmpty)
            #expect(seen.isSubset(of: ["test-bg-0 nice 15", "test-bg-1 nice 15"]))
            // The test's own threads keep their priority.
            #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) != 15)
        }
    #endif

    @Test func backgroundExecutorFinishesQueuedWorkBeforeShuttingDown() async {
        let executor = BackgroundExecutor(name: "test-background", threads: 1, niceness: 5)
        let total = await withTaskExecutorPreference(executor) {
            await withTaskGroup(of: Int.self) { group in
                for value in 1...200 { group.addTask { value } }
                return await group.reduce(0, +)
            }
        }
        executor.shutdown()
        #expect(total == 20_100)
    }
}
