import Foundation
import GRDB
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Database bootstrap")
struct DatabaseTests {
    @Test(
        "DATABASE_URL forms",
        arguments: [
            ("sqlite://./data/resync.sqlite", DatabaseLocation.sqlite(path: "./data/resync.sqlite")),
            ("sqlite:///var/lib/resync/db.sqlite", .sqlite(path: "/var/lib/resync/db.sqlite")),
            ("sqlite::memory:", .sqliteInMemory),
        ])
    func parsesSQLite(url: String, expected: DatabaseLocation) throws {
        #expect(try DatabaseLocation(url: url) == expected)
    }

    @Test func parsesPostgresAndRedactsPassword() throws {
        let location = try DatabaseLocation(url: "postgres://resync:s3cr%40t@db.internal:6543/ops?sslmode=require")
        guard case .postgres(let postgres) = location else {
            Issue.record("expected a postgres location")
            return
        }
        #expect(postgres.host == "db.internal")
        #expect(postgres.port == 6543)
        #expect(postgres.user == "resync")
        #expect(postgres.password == "s3cr@t")
        #expect(postgres.database == "ops")
        #expect(postgres.tls == .require)
        #expect(!location.redactedDescription.contains("s3cr"))
    }

    @Test(
        "bad DATABASE_URL values",
        arguments: [
            "mysql://root@localhost/db", "postgres://@host/db", "postgres://user@/db", "sqlite://",
            "postgres://u:p@h/db?sslmode=maybe", "postgres://u:p@h/db?schema=x;drop",
        ])
    func rejectsBadURLs(url: String) {
        #expect(throws: DatabaseLocation.ParseError.self) { try DatabaseLocation(url: url) }
    }

    @Test func errorsNeverEchoTheURL() {
        do {
            _ = try DatabaseLocation(url: "mysql://root:hunter2@localhost/db")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test(arguments: TestEngine.available)
    func migratesOnceAndIsIdempotent(engine: TestEngine) async throws {
        let location = try await TestDatabases.makeLocation(engine)
        let first = Migration(id: "t_0001", sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY NOT NULL, note TEXT)")
        let second = Migration(id: "t_0002", sql: "INSERT INTO probe (id, note) VALUES (1, 'once')")
        try await TestDatabases.withDatabase(at: location, migrations: [first, second]) { _ in }
        // Running the same migrations again (a restart, or a second replica) applies nothing twice.
        let rows = try await TestDatabases.withDatabase(at: location, migrations: [first, second]) { database in
            try await Self.count(database, sql: "SELECT COUNT(*) FROM probe")
        }
        #expect(rows == 1)
    }

    @Test func sqliteFileUsesWAL() async throws {
        let location = try await TestDatabases.makeLocation(.sqlite)
        let mode = try await TestDatabases.withDatabase(at: location) { database -> String in
            guard case .sqlite(let writer) = database.engine else { return "" }
            return try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
        }
        #expect(mode.lowercased() == "wal")
        guard case .sqlite(let path) = location else { return }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: TestEngine.available)
    func pingSucceeds(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            try await database.ping()
        }
    }

    static func count(_ database: AppDatabase, sql: String) async throws -> Int {
        switch database.engine {
        case .sqlite(let writer):
            return try await writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
        case .postgres(let client):
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) {
                return value
            }
            return -1
        }
    }
}
