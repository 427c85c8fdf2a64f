import Foundation
import GRDB
import Logging
import PostgresNIO

/// A bound SQL parameter, the few types the stores use; one statement serves both engines.
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
    /// Marks statements whose first result column the caller wants back (`RETURNING id`).
    var returnsRows: Bool

    init(_ sql: String, _ arguments: [SQLValue] = [], returnsRows: Bool = false) {
        self.sql = sql
        self.arguments = arguments
        self.returnsRows = returnsRows
    }

    /// `(?, ?, ?)` for an IN list of `count` values.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    /// Concrete `DatabaseValue`s rather than `any DatabaseValueConvertible`: no existential box per argument, on
    /// a path every webhook acknowledgement takes.
    var grdbArguments: StatementArguments {
        StatementArguments(
            arguments.map { value -> DatabaseValue in
                switch value {
                case .text(let text): text?.databaseValue ?? .null
                case .real(let real): real?.databaseValue ?? .null
                case .integer(let integer): integer?.databaseValue ?? .null
                }
            })
    }

    /// The compiled statement (cached per connection) with this statement's values bound to it, ready for
    /// `execute()` or a fetch without arguments.
    ///
    /// GRDB's `execute(arguments:)` first builds `StatementArguments` (a generic map through a key path, not
    /// specialised across modules), then validates them and binds through one nested closure per value. On the
    /// 15-value INSERT every webhook acknowledgement runs, that was about 4 % of the server's CPU per
    /// acknowledgement (`perf`, 2026-12-08); binding each value directly costs a fraction of it.
    func prepared(in db: Database) throws -> Statement {
        let statement = try db.cachedStatement(sql: sql)
        // Resets the statement and clears its bindings, and marks it bound: `execute()` and the fetches then run
        // with the values bound below, neither validating nor binding again. GRDB drops a statement that failed
        // from its cache, so a cached one always resets cleanly.
        statement.setUncheckedArguments(StatementArguments())
        assert(
            (try? statement.validateArguments(grdbArguments)) != nil,
            "\(arguments.count) values for the placeholders of: \(sql)")
        for (offset, value) in arguments.enumerated() {
            let index = CInt(offset + 1)
            let code =
                // Unwrapped here: `Optional`'s own binding is generic, and copies each value through its witnesses.
                switch value {
                case .text(let text?): text.bind(to: statement.sqliteStatement, at: index)
                case .real(let real?): real.bind(to: statement.sqliteStatement, at: index)
                case .integer(let integer?): integer.bind(to: statement.sqliteStatement, at: index)
                case .text(nil), .real(nil), .integer(nil):
                    DatabaseValue.null.bind(to: statement.sqliteStatement, at: index)
                }
            guard code == ResultCode.SQLITE_OK.rawValue else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
        }
        return statement
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

    /// `?` → `$1`, `$2`…; store SQL never has a `?` inside a string literal.
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
    func optionalInt(_ column: String) throws -> Int?
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
    func optionalInt(_ column: String) throws -> Int? { row[column] }
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
    func optionalInt(_ column: String) throws -> Int? { try row[column].decode(Int?.self) }
}

extension PostgresClient {
    /// Every row of `statement`, each read through `map`.
    func fetchAll<T>(
        _ statement: SQLStatement, logger: Logger, _ map: (any SQLRowReader) throws -> T
    ) async throws -> [T] {
        var results: [T] = []
        for try await row in try await query(statement.postgresQuery, logger: logger) {
            results.append(try map(PostgresRowReader(row: row.makeRandomAccess())))
        }
        return results
    }
}
