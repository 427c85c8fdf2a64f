import Foundation
import GRDB
import Logging
import PostgresNIO
import ServiceLifecycle

/// The open database: an embedded SQLite file (GRDB, WAL) or a PostgreSQL pool (postgres-nio).
/// Stores receive it and pick the SQL for its engine.
public enum DatabaseEngine: Sendable {
    case sqlite(any DatabaseWriter)
    case postgres(PostgresClient)
}

public enum StorageError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(String)
    case migrationFailed(id: String, detail: String)
    case query(String)

    public var description: String {
        switch self {
        case .cannotOpen(let detail): "cannot open the database: \(detail)"
        case .migrationFailed(let id, let detail): "database migration \(id) failed: \(detail)"
        case .query(let detail): "database error: \(detail)"
        }
    }
}

/// The database of a Resync process. For PostgreSQL it must also run as a service (`run()`), since the
/// connection pool serves queries only while it runs.
public final class AppDatabase: Service, Sendable {
    public let engine: DatabaseEngine
    public let location: DatabaseLocation
    /// Longest a short PostgreSQL call (chat and monitor statements, `ping`) may wait, connection included.
    public let postgresCallTimeout: Duration
    let logger: Logger
    /// SQLite only: batches the small transactions of webhook acknowledgements (see `SQLiteGroupCommit`).
    let groupCommit: SQLiteGroupCommit?
    private let migrations = MigrationGate()

    public init(
        location: DatabaseLocation, logger: Logger, postgresCallTimeout: Duration = .seconds(10)
    ) throws(StorageError) {
        self.location = location
        self.logger = logger
        self.postgresCallTimeout = postgresCallTimeout
        switch location {
        case .sqliteInMemory:
            engine = .sqlite(try Self.openInMemory())
        case .sqlite(let path):
            engine = .sqlite(try Self.openFile(path: path))
        case .postgres(let postgres):
            engine = .postgres(
                PostgresClient(configuration: Self.configuration(for: postgres), backgroundLogger: logger))
        }
        if case .sqlite(let writer) = engine {
            groupCommit = SQLiteGroupCommit(writer: writer)
        } else {
            groupCommit = nil
        }
    }

    /// Keeps the PostgreSQL pool alive until shutdown; for an SQLite file it checkpoints the write-ahead log
    /// off the writer (see `SQLiteCheckpointer`) until shutdown.
    public func run() async throws {
        switch (engine, location) {
        case (.postgres(let client), _):
            await client.run()
        case (.sqlite(let writer), .sqlite(let path)):
            try await SQLiteCheckpointer(
                path: path, writer: writer, interval: Self.checkpointInterval, logger: logger
            ).run()
        case (.sqlite, _):
            try? await gracefulShutdown()
        }
    }

    /// How often the write-ahead log of an SQLite file is copied back into the file.
    static let checkpointInterval: Duration = .milliseconds(200)

    /// Brings the schema up to date (`Migrations.all`), once per process: later and concurrent calls wait for
    /// the first one instead of running the migrations again. Safe to call from several replicas at once.
    public func migrate() async throws {
        try await migrations.run { try await self.migrate(Migrations.all) }
    }

    /// Applies every one of `migrations` not yet applied. Safe to call from several replicas at once.
    public func migrate(_ migrations: [Migration]) async throws {
        switch engine {
        case .sqlite(let writer):
            var migrator = DatabaseMigrator()
            for migration in migrations {
                migrator.registerMigration(migration.id) { db in try db.execute(sql: migration.sqlite) }
            }
            do {
                try migrator.migrate(writer)
            } catch {
                throw StorageError.migrationFailed(id: "sqlite", detail: "\(error)")
            }
        case .postgres(let client):
            // A server that is down fails the start within the call bound; migrations themselves may build indexes
            // on large tables, so they get a bound of their own.
            try await ping()
            let logger = logger
            try await PostgresCallBound(limit: Self.postgresMigrationTimeout).run {
                try await PostgresMigrator(client: client, logger: logger).migrate(migrations)
            }
        }
        logger.info("database ready", metadata: ["database": "\(location.redactedDescription)"])
    }

    /// How long PostgreSQL migrations may take at start.
    static let postgresMigrationTimeout: Duration = .seconds(600)

    /// A cheap round trip, for `/readyz`.
    public func ping() async throws {
        switch engine {
        case .sqlite(let writer):
            _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        case .postgres(let client):
            let logger = logger
            try await PostgresCallBound(limit: postgresCallTimeout).run {
                _ = try await client.query("SELECT 1", logger: logger).collect()
            }
        }
    }

    static func openInMemory() throws(StorageError) -> DatabaseQueue {
        do {
            return try DatabaseQueue(configuration: sqliteConfiguration())
        } catch {
            throw .cannotOpen("in-memory SQLite: \(error)")
        }
    }

    static func openFile(path: String) throws(StorageError) -> DatabasePool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // DatabasePool puts the file in WAL mode: concurrent readers, one writer.
            return try DatabasePool(path: path, configuration: sqliteConfiguration())
        } catch {
            throw .cannotOpen("SQLite file \(path): \(error)")
        }
    }

    static func sqliteConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Several writers (outbox worker, monitor, web) wait for each other instead of failing.
        configuration.busyMode = .timeout(5)
        return configuration
    }

    static func configuration(for location: DatabaseLocation.PostgresLocation) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        if let schema = location.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }
}
