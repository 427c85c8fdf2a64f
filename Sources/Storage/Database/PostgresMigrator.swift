import Logging
import PostgresNIO

/// Applies migrations to PostgreSQL under an advisory lock, so replicas starting together migrate once.
struct PostgresMigrator {
    let client: PostgresClient
    let logger: Logger

    /// Arbitrary constant naming Resync's migration lock.
    static let lockKey: Int64 = 0x5245_5359_4E43  // "RESYNC"

    func migrate(_ migrations: [Migration]) async throws {
        try await client.withConnection { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger).collect()
            do {
                try await applyPending(migrations, on: connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).collect()
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).collect()
                throw error
            }
        }
    }

    private func applyPending(_ migrations: [Migration], on connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger
        ).collect()
        var applied = Set<String>()
        for try await id in try await connection.query("SELECT id FROM schema_migrations", logger: logger)
            .decode(String.self)
        {
            applied.insert(id)
        }
        for migration in migrations where !applied.contains(migration.id) {
            do {
                _ = try await connection.query("BEGIN", logger: logger).collect()
                _ = try await connection.query(PostgresQuery(unsafeSQL: migration.postgres), logger: logger).collect()
                _ = try await connection.query(
                    "INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: logger
                ).collect()
                _ = try await connection.query("COMMIT", logger: logger).collect()
                logger.info("applied migration", metadata: ["migration": "\(migration.id)"])
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw StorageError.migrationFailed(id: migration.id, detail: String(reflecting: error))
            }
        }
    }
}
