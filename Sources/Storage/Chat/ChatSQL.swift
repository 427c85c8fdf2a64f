import Foundation
import GRDB
import Logging
import PostgresNIO

/// A bound SQL parameter, the few types the chat tables use.
enum SQLValue: Sendable {
    case text(String?)
    case real(Double?)
    case integer(Int?)

    static func date(_ date: Date?) -> SQLValue { .real(date?.timeIntervalSince1970) }
    static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

/// One SQL statement written once with `?` placeholders; rewritten to `$n` for PostgreSQL.
struct SQLStatement: Sendable {
    var sql: String
    var arguments: [SQLValue]

    init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
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
        return PostgresQuery(unsafeSQL: Self.numberingPlaceholders(sql), binds: binds)
    }

    /// `?` → `$1`, `$2`…; the chat SQL never has a `?` inside a string literal.
    static func numberingPlaceholders(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                output += "$\(index)"
            } else {
                output.append(character)
            }
        }
        return output
    }
}

/// Reads one result row the same way on both engines.
protocol SQLRowReader {
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func double(_ column: String) throws -> Double
    func optionalDouble(_ column: String) throws -> Double?
    func int(_ column: String) throws -> Int
}

extension SQLRowReader {
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try double(column)) }
    func optionalDate(_ column: String) throws -> Date? {
        try optionalDouble(column).map { Date(timeIntervalSince1970: $0) }
    }
    func bool(_ column: String) throws -> Bool { try int(column) != 0 }
}

struct GRDBRowReader: SQLRowReader {
    let row: Row

    func string(_ column: String) throws -> String {
        guard let value: String = row[column] else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
    func optionalString(_ column: String) throws -> String? { row[column] }
    func double(_ column: String) throws -> Double {
        guard let value: Double = row[column] else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
    func optionalDouble(_ column: String) throws -> Double? { row[column] }
    func int(_ column: String) throws -> Int {
        guard let value: Int = row[column] else { throw StorageError.query("column \(column) is NULL") }
        return value
    }
}

struct PostgresRowReader: SQLRowReader {
    let row: PostgresRandomAccessRow

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func double(_ column: String) throws -> Double { try row[column].decode(Double.self) }
    func optionalDouble(_ column: String) throws -> Double? { try row[column].decode(Double?.self) }
    func int(_ column: String) throws -> Int { try row[column].decode(Int.self) }
}

/// Runs the chat stores' statements on whichever engine the database uses.
struct ChatSQL: Sendable {
    let engine: DatabaseEngine
    let logger: Logger

    init(database: AppDatabase) {
        self.engine = database.engine
        var logger = Logger(label: "resync.storage.chat")
        logger.logLevel = .warning
        self.logger = logger
    }

    func execute(_ statement: SQLStatement) async throws {
        switch engine {
        case .sqlite(let writer):
            try await writer.write { db in try db.execute(sql: statement.sql, arguments: statement.grdbArguments) }
        case .postgres(let client):
            try await client.query(statement.postgresQuery, logger: logger)
        }
    }

    func query<T: Sendable>(_ statement: SQLStatement, _ map: @escaping @Sendable (any SQLRowReader) throws -> T)
        async throws -> [T]
    {
        switch engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                try Row.fetchAll(db, sql: statement.sql, arguments: statement.grdbArguments).map {
                    try map(GRDBRowReader(row: $0))
                }
            }
        case .postgres(let client):
            var results: [T] = []
            for try await row in try await client.query(statement.postgresQuery, logger: logger) {
                results.append(try map(PostgresRowReader(row: row.makeRandomAccess())))
            }
            return results
        }
    }

    /// Runs `guardStatement` (a conditional write with `RETURNING`) and, when it touched a row, `then`,
    /// all in one transaction. Returns whether the guard matched.
    func guardedTransaction(_ guardStatement: SQLStatement, then statements: [SQLStatement]) async throws -> Bool {
        switch engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                let matched = try !Row.fetchAll(db, sql: guardStatement.sql, arguments: guardStatement.grdbArguments)
                    .isEmpty
                if matched {
                    for statement in statements {
                        try db.execute(sql: statement.sql, arguments: statement.grdbArguments)
                    }
                }
                return matched
            }
        case .postgres(let client):
            let logger = logger
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
    }

    /// Runs statements in one transaction.
    func transaction(_ statements: [SQLStatement]) async throws {
        switch engine {
        case .sqlite(let writer):
            try await writer.write { db in
                for statement in statements {
                    try db.execute(sql: statement.sql, arguments: statement.grdbArguments)
                }
            }
        case .postgres(let client):
            let logger = logger
            try await client.withTransaction(logger: logger) { connection in
                for statement in statements {
                    try await connection.query(statement.postgresQuery, logger: logger)
                }
            }
        }
    }
}
