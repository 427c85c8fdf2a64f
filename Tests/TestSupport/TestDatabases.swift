import Foundation
import Logging
import PostgresNIO
import ResyncCore
import Storage

/// The database engines a behavioural test runs against.
public enum TestEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// SQLite always; PostgreSQL when `RESYNC_TEST_POSTGRES_URL` is set, and always under CI, where a
    /// missing server must fail the run rather than skip it quietly.
    public static var available: [TestEngine] {
        TestDatabases.postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true"
            ? [.sqlite, .postgres] : [.sqlite]
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case postgresNotConfigured

    public var description: String {
        "RESYNC_TEST_POSTGRES_URL is not set; .ci/run starts PostgreSQL and sets it (see README, Testing)"
    }
}

/// Fresh, migrated databases for tests: a new SQLite file in a temporary folder, or a new schema in the
/// PostgreSQL server named by `RESYNC_TEST_POSTGRES_URL`.
public enum TestDatabases {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["RESYNC_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` with an open, migrated database of `engine`, then closes it.
    public static func withDatabase<T: Sendable>(
        _ engine: TestEngine, migrations: [Migration] = Migrations.all,
        _ body: @Sendable (AppDatabase) async throws -> T
    ) async throws -> T {
        let location = try await makeLocation(engine)
        return try await withDatabase(at: location, migrations: migrations, body)
    }

    /// Runs `body` with the database at `location` (running its pool while `body` runs).
    public static func withDatabase<T: Sendable>(
        at location: DatabaseLocation, migrations: [Migration] = Migrations.all,
        _ body: @Sendable (AppDatabase) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test.database")
        logger.logLevel = .error
        let database = try AppDatabase(location: location, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            try await database.migrate(migrations)
            return try await body(database)
        }
    }

    /// A location nobody else uses: a temporary SQLite file, or a new PostgreSQL schema.
    public static func makeLocation(_ engine: TestEngine) async throws -> DatabaseLocation {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "resync-tests-\(UUID().uuidString)")
            return .sqlite(path: folder.appendingPathComponent("resync.sqlite").path)
        case .postgres:
            guard let url = postgresURL, case .postgres(var location) = try DatabaseLocation(url: url) else {
                throw TestDatabaseError.postgresNotConfigured
            }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await createSchema(schema, at: location)
            location.schema = schema
            return .postgres(location)
        }
    }

    static func createSchema(_ schema: String, at location: DatabaseLocation.PostgresLocation) async throws {
        let admin = try AppDatabase(location: .postgres(location), logger: Logger(label: "test.database"))
        guard case .postgres(let client) = admin.engine else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)")).collect()
        }
    }
}
