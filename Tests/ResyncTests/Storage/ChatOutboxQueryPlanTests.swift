import Foundation
import GRDB
import TestSupport
import Testing

@testable import Storage

/// The outbox worker reads the due items whenever an answer is queued. With a paced channel holding
/// thousands of answers, a plan that sorts or scans every pending item made each round cost milliseconds;
/// these plans read indexes in order instead (SQLite's own `EXPLAIN QUERY PLAN`).
@Suite("Chat outbox query plans")
struct ChatOutboxQueryPlanTests {
    static func plan(of statement: SQLStatement, in database: AppDatabase) async throws -> [String] {
        guard case .sqlite(let writer) = database.engine else { throw CancellationError() }
        return try await writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.grdbArguments)
                .map { $0["detail"] as String }
        }
    }

    @Test func dueItemsAreReadInQueueOrderWithoutSorting() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let plan = try await Self.plan(
                of: SQLChatOutboxStore.dueStatement(now: Date(), limit: 32), in: database)
            #expect(plan.contains { $0.contains("USING INDEX chat_outbox_queue") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test func continuationsOfFailedItemsAreFoundThroughTheDependentsIndex() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let plan = try await Self.plan(of: SQLChatOutboxStore.failContinuationsOfFailedItems, in: database)
            #expect(plan.contains { $0.contains("chat_outbox_dependents (status=? AND depends_on=?)") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        }
    }
}
