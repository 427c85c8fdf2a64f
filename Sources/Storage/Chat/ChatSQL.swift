import Foundation
import GRDB
import Logging
import PostgresNIO

/// Runs the chat stores' statements on whichever engine the database uses. On SQLite the statements are
/// compiled once per connection and cached: their texts are fixed, and compiling (with GRDB's authorizer) cost
/// more than running them.
struct ChatSQL: Sendable {
    let engine: DatabaseEngine
    let groupCommit: SQLiteGroupCommit?
    let logger: Logger
    let bound: PostgresCallBound

    init(database: AppDatabase) {
        self.engine = database.engine
        self.groupCommit = database.groupCommit
        self.bound = PostgresCallBound(limit: database.postgresCallTimeout)
        var logger = Logger(label: "resync.storage.chat")
        logger.logLevel = .warning
        self.logger = logger
    }

    func execute(_ statement: SQLStatement) async throws {
        switch engine {
        case .sqlite(let writer):
            try await writer.write { db in
                try statement.prepared(in: db).execute()
            }
        case .postgres(let client):
            let logger = logger
            try await bound.run { _ = try await client.query(statement.postgresQuery, logger: logger) }
        }
    }

    func query<T: Sendable>(_ statement: SQLStatement, _ map: @escaping @Sendable (any SQLRowReader) throws -> T)
        async throws -> [T]
    {
        switch engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                try Row.fetchAll(statement.prepared(in: db)).map {
                    try map(GRDBRowReader(row: $0))
                }
            }
        case .postgres(let client):
            let logger = logger
            return try await bound.run { try await client.fetchAll(statement, logger: logger, map) }
        }
    }

    /// Runs `guardStatement` (a conditional write, written without `RETURNING`) and, when it touched a row,
    /// `then`, all in one transaction. Returns whether the guard matched. On SQLite concurrent calls share one
    /// commit (`SQLiteGroupCommit`); these run on every webhook acknowledgement.
    ///
    /// PostgreSQL learns whether the guard matched from `RETURNING returning`; SQLite from the change count,
    /// since a `RETURNING` clause there buffers its rows in a temporary B-tree opened and closed per execution.
    func guardedTransaction(
        _ guardStatement: SQLStatement, returning column: String, then statements: [SQLStatement]
    ) async throws -> Bool {
        switch engine {
        case .sqlite(let writer):
            let unit: SQLiteGroupCommit.Unit = { db in
                try guardStatement.prepared(in: db).execute()
                let matched = db.changesCount > 0
                if matched {
                    for statement in statements {
                        try statement.prepared(in: db).execute()
                    }
                }
                return matched
            }
            guard let groupCommit else { return try await writer.write(unit) }
            return try await groupCommit.run(unit)
        case .postgres(let client):
            let logger = logger
            var returningGuard = guardStatement
            returningGuard.sql += " RETURNING \(column)"
            return try await bound.run { [returningGuard] in
                try await Self.guarded(client, returningGuard, then: statements, logger: logger)
            }
        }
    }

    private static func guarded(
        _ client: PostgresClient, _ guardStatement: SQLStatement, then statements: [SQLStatement], logger: Logger
    ) async throws -> Bool {
        // A single statement is atomic on its own: no need for BEGIN and COMMIT round trips.
        if statements.isEmpty {
            var matched = false
            for try await _ in try await client.query(guardStatement.postgresQuery, logger: logger) { matched = true }
            return matched
        }
        return try await client.withTransaction(logger: logger) { connection in
            var matched = false
            for try await _ in try await connection.query(guardStatement.postgresQuery, logger: logger) {
                matched = true
            }
            if matched {
                for statement in statements {
                    try await connection.query(statement.postgresQuery, logger: logger)
                }
            }
            return matched
        }
    }

    /// Runs statements in one transaction.
    func transaction(_ statements: [SQLStatement]) async throws {
        switch engine {
        case .sqlite(let writer):
            try await writer.write { db in
                for statement in statements {
                    try statement.prepared(in: db).execute()
                }
            }
        case .postgres(let client):
            let logger = logger
            try await bound.run {
                try await client.withTransaction(logger: logger) { connection in
                    for statement in statements {
                        try await connection.query(statement.postgresQuery, logger: logger)
                    }
                }
            }
        }
    }
}
