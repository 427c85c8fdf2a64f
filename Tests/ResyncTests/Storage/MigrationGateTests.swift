import Synchronization
import Testing

@testable import Storage

@Suite("Migrations run once per process")
struct MigrationGateTests {
    /// Counts runs and holds each one open until released, so that concurrent callers really overlap.
    final class Probe: Sendable {
        let runs = Atomic<Int>(0)
        let failuresLeft: Atomic<Int>

        init(failures: Int = 0) { failuresLeft = Atomic(failures) }

        func migrate() async throws {
            runs.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(50))
            if failuresLeft.load(ordering: .relaxed) > 0 {
                failuresLeft.subtract(1, ordering: .relaxed)
                throw StorageError.migrationFailed(id: "probe", detail: "disk full")
            }
        }
    }

    @Test func concurrentCallersShareOneRunAndLaterCallersSkipIt() async throws {
        let gate = MigrationGate()
        let probe = Probe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await gate.run { try await probe.migrate() } } }
            try await group.waitForAll()
        }
        try await gate.run { try await probe.migrate() }
        #expect(probe.runs.load(ordering: .relaxed) == 1)
    }

    @Test func aFailedRunReachesEveryWaiterAndTheNextCallerRetries() async throws {
        let gate = MigrationGate()
        let probe = Probe(failures: 1)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        try await gate.run { try await probe.migrate() }
                        return false
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 4)
        #expect(probe.runs.load(ordering: .relaxed) == 1)
        try await gate.run { try await probe.migrate() }
        #expect(probe.runs.load(ordering: .relaxed) == 2)
    }
}
