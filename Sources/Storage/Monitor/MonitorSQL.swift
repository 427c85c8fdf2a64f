import Foundation
import GRDB
import Logging
import PostgresNIO

/// A bound parameter of the monitor tables.
enum MonitorSQLValue: Sendable {
    case text(String?)
    case real(Double?)
    case integer(Int?)

    static func date(_ date: Date?) -> MonitorSQLValue { .real(date?.timeIntervalSince1970) }
}

/// One statement written once with `?` placeholders; numbered `$n` for PostgreSQL. `returnsRows` marks
/// statements whose first result column the caller wants back (`RETURNING id`).
struct MonitorStatement: Sendable {
    var sql: String
    var arguments: [MonitorSQLValue]
    var returnsRows: Bool

    init(_ sql: String, _ arguments: [MonitorSQLValue] = [], returnsRows: Bool = false) {
        self.sql = sql
        self.arguments = arguments
        self.returnsRows = returnsRows
    }

    var grdbArguments: StatementArguments {
        StatementArguments(
            arguments.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .text(let text): text
                case .real(let real): real
                case .integer(let integer): integer
                }
            })
    }

    var postgresQuery: PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .text(let text): binds.append(text)
            case .real(let real): binds.append(real)
            case .integer(let integer): binds.append(integer)
            }
        }
        var numbered = ""
        numbered.reserveCapacity(sql.count + 16)
        var index = 0
        // The monitor's SQL never has a `?` inside a string literal.
        for character in sql {
            if character == "?" {
                index += 1
                numbered += "$\(index)"
            } else {
                numbered.append(character)
            }
        }
        return PostgresQuery(unsafeSQL: numbered, binds: binds)
    }

    /// `(?, ?, ?)` for an IN list of `count` values.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}

/// Reads one row the same way on both engines.
protocol MonitorRowReader {
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func optionalDouble(_ column: String) throws -> Double?
    func optionalInt(_ column: String) throws -> Int?
}

extension MonitorRowReader {
    func double(_ column: String) throws -> Double {
        guard let value = try optionalDouble(column) else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
    func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try double(column)) }
    func optionalDate(_ column: String) throws -> Date? {
        try optionalDouble(column).map { Date(timeIntervalSince1970: $0) }
    }
}

struct MonitorGRDBRow: MonitorRowReader {
    let row: Row

    func string(_ column: String) throws -> String {
        guard let value: String = row[column] else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
    func optionalString(_ column: String) throws -> String? { row[column] }
    func optionalDouble(_ column: String) throws -> Double? { row[column] }
    func optionalInt(_ column: String) throws -> Int? { row[column] }
}

struct MonitorPostgresRow: MonitorRowReader {
    let row: PostgresRandomAccessRow

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func optionalDouble(_ column: String) throws -> Double? { try row[column].decode(Double?.self) }
    func optionalInt(_ column: String) throws -> Int? { try row[column].decode(Int?.self) }
}

/// Runs the monitor store's statements on whichever engine the database uses.
struct MonitorSQL: Sendable {
    let engine: DatabaseEngine
    let logger: Logger

    init(database: AppDatabase) {
        self.engine = database.engine
        var logger = Logger(label: "resync.storage.monitor")
        logger.logLevel = .warning
        self.logger = logger
    }

    func query<T: Sendable>(
        _ statement: MonitorStatement, _ map: @escaping @Sendable (any MonitorRowReader) throws -> T
    ) async throws -> [T] {
        switch engine {
        case .sqlite(let writer):
            return try await writer.read { db in
                try Row.fetchAll(db, sql: statement.sql, arguments: statement.grdbArguments).map {
                    try map(MonitorGRDBRow(row: $0))
                }
            }
        case .postgres(let client):
            var results: [T] = []
            for try await row in try await client.query(statement.postgresQuery, logger: logger) {
                results.append(try map(MonitorPostgresRow(row: row.makeRandomAccess())))
            }
            return results
        }
    }

    /// Runs `statements` in one transaction; returns, per statement, the first column of its rows
    /// (empty unless `returnsRows`).
    @discardableResult
    func transaction(_ statements: [MonitorStatement]) async throws -> [[String]] {
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
            return try await client.withTransaction(logger: logger) { connection in
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
