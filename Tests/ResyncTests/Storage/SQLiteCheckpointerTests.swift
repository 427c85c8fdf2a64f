import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@testable import Storage

/// The write-ahead log is copied back by the checkpointer's own connection, stays bounded under a steady
/// stream of writes, and the writer gets SQLite's default behaviour back when the checkpointer stops.
@Suite("SQLite checkpointer")
struct SQLiteCheckpointerTests {
    static func makeDatabase() throws -> (DatabasePool, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "checkpoint-\(UUID().uuidString).sqlite")
        let pool = try DatabasePool(path: url.path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE b (id INTEGER PRIMARY KEY, v BLOB NOT NULL)") }
        return (pool, url)
    }

    static func remove(_ url: URL) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func writerAutocheckpoint(_ pool: DatabasePool) async throws -> Int? {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
    }

    /// Polls `condition` every 20 ms for at most `seconds`.
    static func eventually(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    static func startCheckpointer(_ pool: DatabasePool, _ url: URL) -> Task<Void, any Error> {
        let checkpointer = SQLiteCheckpointer(
            path: url.path, writer: pool, interval: .milliseconds(50), logger: Logger(label: "test.checkpoint"))
        return Task { try await checkpointer.run() }
    }

    @Test func theLogReachesTheFileThroughTheCheckpointerAndTheWriterGetsItsDefaultBack() async throws {
        let (pool, url) = try Self.makeDatabase()
        defer { Self.remove(url) }
        let checkpointer = Self.startCheckpointer(pool, url)
        #expect(try await Self.eventually(within: 10) { try await Self.writerAutocheckpoint(pool) == 0 })

        // 2,000 rows of 4 KB: well past SQLite's 1,000-page automatic threshold, which is now off on the writer,
        // so only the checkpointer can bring them into the database file.
        for batch in 0..<20 {
            try await pool.write { db in
                for row in 0..<100 {
                    try db.execute(
                        sql: "INSERT INTO b (id, v) VALUES (?, randomblob(4000))", arguments: [batch * 100 + row])
                }
            }
        }
        #expect(try await Self.eventually(within: 10) { Self.fileSize(url.path) >= 8_000_000 })

        checkpointer.cancel()
        _ = await checkpointer.result
        #expect(try await Self.writerAutocheckpoint(pool) == SQLiteCheckpointer.defaultAutocheckpointPages)
        let rows = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM b") }
        #expect(rows == 2000)
    }

    @Test func theLogStaysBoundedUnderASteadyStreamOfWrites() async throws {
        let (pool, url) = try Self.makeDatabase()
        defer { Self.remove(url) }
        let checkpointer = Self.startCheckpointer(pool, url)
        defer { checkpointer.cancel() }
        #expect(try await Self.eventually(within: 10) { try await Self.writerAutocheckpoint(pool) == 0 })

        // Small transactions with no pause and short reads all along, as under a burst of webhooks: an outside
        // passive checkpoint alone never finds the log wholly copied, so SQLite would never restart it.
        // At least 2 s and 16 MB (four times SQLite's threshold), however slow the machine; at most 30 s.
        let start = ContinuousClock.now
        let done = Mutex(false)
        var written = 0
        var nextID = 0
        async let reads: Void = {
            while !done.withLock({ $0 }) {
                _ = try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT max(id) FROM b") }
            }
        }()
        while ContinuousClock.now - start < .seconds(2) || written < 16_000_000,
            ContinuousClock.now - start < .seconds(30)
        {
            let first = nextID
            try await pool.write { db in
                for id in first..<first + 4 {
                    try db.execute(sql: "INSERT INTO b (id, v) VALUES (?, randomblob(4000))", arguments: [id])
                }
            }
            nextID += 4
            written += 4 * 4096
        }
        done.withLock { $0 = true }
        await reads
        let walSize = Self.fileSize(url.path + "-wal")
        #expect(written >= 16_000_000, "the stream wrote only \(written) bytes; the bound below would prove nothing")
        #expect(walSize < written / 2, "WAL \(walSize) bytes after \(written) bytes written")
    }
}
