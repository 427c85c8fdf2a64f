import Foundation
import GRDB
import ResyncCore
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

    @Test func eachChannelsOldestDueItemIsReadThroughIndexProbes() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let plan = try await Self.plan(
                of: SQLChatOutboxStore.dueStatement(platform: .slack, now: Date(), limit: 8, skipping: ["C1"]),
                in: database)
            // Channels are listed by index probes, and each channel's oldest item is read from the same index.
            #expect(
                plan.filter { $0.contains("chat_outbox_channel_queue (status=? AND platform=? AND channel>?)") }.count
                    == 1, "\(plan)")
            #expect(
                plan.contains { $0.contains("chat_outbox_channel_queue (status=? AND platform=? AND channel=?)") },
                "\(plan)")
            // No plan step reads the whole outbox.
            #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN c") }, "\(plan)")
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
