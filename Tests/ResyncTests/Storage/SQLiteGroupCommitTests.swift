import Foundation
import GRDB
import Synchronization
import Testing

@testable import Storage

/// Concurrent acknowledgements share SQLite commits; each must keep its own outcome.
@Suite("SQLite group commit")
struct SQLiteGroupCommitTests {
    static func makeWriter() throws -> (DatabasePool, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "group-commit-\(UUID().uuidString).sqlite")
        let pool = try DatabasePool(path: url.path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)") }
        return (pool, url)
    }

    @Test func everyUnitKeepsItsOwnOutcomeAndAFailingOneIsRolledBackAlone() async throws {
        let (pool, url) = try Self.makeWriter()
        defer { try? FileManager.default.removeItem(at: url) }
        let group = SQLiteGroupCommit(writer: pool, maximumBatch: 16)
        let outcomes = await withTaskGroup(of: (Int, Bool?).self) { tasks in
            for index in 0..<200 {
                tasks.addTask {
                    let result = try? await group.run { db in
                        try db.execute(sql: "INSERT INTO t (id, v) VALUES (?, 'x')", arguments: [index])
                        // Every tenth unit fails after writing: only its own row may disappear.
                        if index % 10 == 0 { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT) }
                        return index % 3 == 0
                    }
                    return (index, result)
                }
            }
            var outcomes: [Int: Bool?] = [:]
            for await (index, result) in tasks { outcomes[index] = result }
            return outcomes
        }
        for index in 0..<200 {
            let outcome = try #require(outcomes[index])
            #expect(outcome == (index % 10 == 0 ? nil : index % 3 == 0), "unit \(index)")
        }
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT id FROM t ORDER BY id") }
        #expect(stored == (0..<200).filter { $0 % 10 != 0 })
    }

    @Test func otherWritersGetTurnsDuringASustainedBurst() async throws {
        let (pool, url) = try Self.makeWriter()
        defer { try? FileManager.default.removeItem(at: url) }
        let group = SQLiteGroupCommit(writer: pool, maximumBatch: 4)
        let counter = Counter()
        // A burst of slow units keeps the group busy; a plain write queued meanwhile must not wait for all of it.
        let burst = Task {
            await withTaskGroup(of: Void.self) { tasks in
                for index in 0..<400 {
                    tasks.addTask {
                        _ = try? await group.run { db in
                            try db.execute(sql: "INSERT INTO t (id, v) VALUES (?, 'burst')", arguments: [index])
                            Thread.sleep(forTimeInterval: 0.001)
                            counter.add()
                            return true
                        }
                    }
                }
            }
        }
        // Once the burst is being written (bounded wait), queue one plain write behind it.
        for _ in 0..<500 where counter.value == 0 { try await Task.sleep(for: .milliseconds(2)) }
        #expect(counter.value > 0)
        // Read inside the write, which runs on the writer queue between batches: how much of the burst it waited for.
        let doneBeforeTheOtherWrite = try await pool.write { db in
            try db.execute(sql: "INSERT INTO t (id, v) VALUES (10000, 'other')")
            return counter.value
        }
        await burst.value
        #expect(doneBeforeTheOtherWrite < 400, "the plain write waited for the whole burst")
        let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") }
        #expect(count == 401)
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
