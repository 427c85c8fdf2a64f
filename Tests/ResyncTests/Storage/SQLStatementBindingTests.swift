import Foundation
import GRDB
import TestSupport
import Testing

@testable import Storage

/// `SQLStatement.prepared(in:)` binds values straight onto GRDB's cached statement: every kind of value must
/// arrive as written, and a value bound for one execution must never leak into the next.
@Suite("SQL statement binding")
struct SQLStatementBindingTests {
    static let insert = "INSERT INTO probe (name, score, count) VALUES (?, ?, ?)"

    static func withProbeTable(_ body: @Sendable (DatabaseQueue) throws -> Void) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT, score REAL, count INTEGER)")
        }
        try body(queue)
    }

    @Test(
        "each kind of value, present or NULL, is stored as bound",
        arguments: [
            (SQLValue.text("Ação ✅"), SQLValue.real(2.5), SQLValue.integer(-7)),
            (SQLValue.text(nil), SQLValue.real(nil), SQLValue.integer(nil)),
            (SQLValue.text(""), SQLValue.date(Date(timeIntervalSince1970: 1_531_420_618)), SQLValue.bool(true)),
        ])
    func valuesRoundTrip(name: SQLValue, score: SQLValue, count: SQLValue) throws {
        try Self.withProbeTable { queue in
            try queue.write { db in
                try SQLStatement(Self.insert, [name, score, count]).prepared(in: db).execute()
                let row = try #require(try Row.fetchOne(db, sql: "SELECT name, score, count FROM probe"))
                #expect(row["name"] as String? == Self.text(name))
                #expect(row["score"] as Double? == Self.real(score))
                #expect(row["count"] as Int? == Self.integer(count))
            }
        }
    }

    @Test func theCachedStatementKeepsNothingFromTheExecutionBefore() throws {
        try Self.withProbeTable { queue in
            try queue.write { db in
                try SQLStatement(Self.insert, [.text("first"), .real(1), .integer(1)]).prepared(in: db).execute()
                try SQLStatement(Self.insert, [.text(nil), .real(nil), .integer(nil)]).prepared(in: db).execute()
                let rows = try Row.fetchAll(db, sql: "SELECT name, score, count FROM probe ORDER BY id")
                #expect(rows.count == 2)
                #expect(rows.last?["name"] as String? == nil)
                #expect(rows.last?["score"] as Double? == nil)
                #expect(rows.last?["count"] as Int? == nil)
            }
        }
    }

    @Test func aFetchRunsWithTheBoundValues() throws {
        try Self.withProbeTable { queue in
            try queue.write { db in
                for (name, count) in [("a", 1), ("b", 2), ("c", 3)] {
                    try SQLStatement(Self.insert, [.text(name), .real(nil), .integer(count)]).prepared(in: db).execute()
                }
                let select = SQLStatement("SELECT name FROM probe WHERE count >= ? ORDER BY name", [.integer(2)])
                #expect(try Row.fetchAll(select.prepared(in: db)).map { $0["name"] as String } == ["b", "c"])
            }
        }
    }

    @Test func aStatementThatFailedIsCompiledAfreshAndRunsAgain() throws {
        try Self.withProbeTable { queue in
            try queue.write { db in
                let unique = "INSERT INTO probe (id, name) VALUES (?, ?)"
                try SQLStatement(unique, [.integer(1), .text("one")]).prepared(in: db).execute()
                #expect(throws: DatabaseError.self) {
                    try SQLStatement(unique, [.integer(1), .text("again")]).prepared(in: db).execute()
                }
                try SQLStatement(unique, [.integer(2), .text("two")]).prepared(in: db).execute()
                #expect(try String.fetchAll(db, sql: "SELECT name FROM probe ORDER BY id") == ["one", "two"])
            }
        }
    }

    static func text(_ value: SQLValue) -> String? { if case .text(let text) = value { text } else { nil } }
    static func real(_ value: SQLValue) -> Double? { if case .real(let real) = value { real } else { nil } }
    static func integer(_ value: SQLValue) -> Int? { if case .integer(let integer) = value { integer } else { nil } }
}
