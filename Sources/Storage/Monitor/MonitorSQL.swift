import Foundation
import GRDB
import Logging
import PostgresNIO

/// Runs the monitor store's statements on whichever engine the database uses.
struct MonitorSQL: Sendable {
    let engine: DatabaseEngine
    let logger: Logger
    let bound: PostgresCallBound

    init(database: AppDatabase) {
        self.engine = database.engine
        self.bound = PostgresCallBound(limit: database.postgresCallTimeout)
        var logger = Logger(label: "resync.storage.monitor")
        logger.logLevel = .warning
        self.logger = logger
    }

    func query<T: Sendable>(
        _ statement: SQLStatement, _ map: @escaping @Sendable (any SQLRowReader) throws -> T
    ) async throws -> [T] {
        switch engine {
        case .sqlite(let writer):
            return try await writer.read { db in
                try Row.fetchAll(db, sql: statement.sql, arguments: statement.grdbArguments).map {
                    try map(GRDBRowReader(row: $0))
                }
            }
        case .postgres(let client):
            let logger = logger
            return try await bound.run { try await client.fetchAll(statement, logger: logger, map) }
        }
    }

    /// Runs `statements` in one transaction; returns, per statement, the first column of its rows
    /// (empty unless `returnsRows`).
    @discardableResult
    func transaction(_ statements: [SQLStatement]) async throws -> [[String]] {
        switch engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                try statements.map { statement in
                    if statement.returnsRows {
                        return try String.fetchAll(db, sql: statement.sql, arguments: statement.grdbArguments)
                    }
                    try db.execute(sql: statement.sql, arguments: statement.grdbArguments)
                    return []
                }
            }
        case .postgres(let client):
            let logger = logger
            return try await bound.run {
                try await client.withTransaction(logger: logger) { connection in
                    var results: [[String]] = []
                    for statement in statements {
                        var values: [String] = []
                        for try await row in try await connection.query(statement.postgresQuery, logger: logger) {
                            if statement.returnsRows { values.append(try row.decode(String.self)) }
                        }
                        results.append(values)
                    }
                    return results
                }
            }
        }
    }
}
