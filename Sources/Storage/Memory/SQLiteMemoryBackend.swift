import Foundation
import GRDB
import ResyncCore

struct SQLiteMemoryBackend: MemoryBackend {
    let writer: any DatabaseWriter

    func insert(_ record: MemoryRecord, audit: AuditLogEntry) async throws {
        try await writer.write { db in
            try Self.insert(record, db: db)
            try Self.insert(audit, db: db)
        }
    }

    func fetch(id: String) async throws -> Memory? {
        let payload = try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM memories WHERE id = ?", arguments: [id])
        }
        return try payload.map(MemoryRecord.decode)
    }

    func select(_ select: MemorySelect) async throws -> [Memory] {
        let arguments = StatementArguments(select.values.map(Self.databaseValue))
        let payloads = try await writer.read { db in try String.fetchAll(db, sql: select.sql, arguments: arguments) }
        return try payloads.map(MemoryRecord.decode)
    }

    func update(id: String, _ change: @escaping @Sendable (inout Memory) throws -> AuditLogEntry?) async throws {
        try await writer.write { db in
            guard
                let payload = try String.fetchOne(db, sql: "SELECT payload FROM memories WHERE id = ?", arguments: [id])
            else { throw MemoryStoreError.notFound(id) }
            var memory = try MemoryRecord.decode(payload)
            let audit = try change(&memory)
            try Self.replace(MemoryRecord(memory), db: db)
            if let audit { try Self.insert(audit, db: db) }
        }
    }

    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws {
        try await writer.write { db in
            guard
                let payload = try String.fetchOne(
                    db, sql: "SELECT payload FROM memories WHERE id = ?", arguments: [memoryID])
            else { throw MemoryStoreError.notFound(memoryID) }
            if feedback.added {
                try db.execute(
                    sql: """
                        INSERT INTO memory_feedback (memory_id, user_id, polarity, signal, at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (memory_id, user_id) DO UPDATE SET polarity = excluded.polarity,
                            signal = excluded.signal, at = excluded.at
                        """,
                    arguments: [
                        memoryID, feedback.user, feedback.polarity.rawValue, feedback.signal,
                        feedback.at.timeIntervalSince1970,
                    ])
            } else {
                // Removing a reaction withdraws that user's signal only if it is still the one on record.
                try db.execute(
                    sql: "DELETE FROM memory_feedback WHERE memory_id = ? AND user_id = ? AND polarity = ?",
                    arguments: [memoryID, feedback.user, feedback.polarity.rawValue])
            }
            let positive =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM memory_feedback WHERE memory_id = ? AND polarity = 'positive'",
                    arguments: [memoryID]) ?? 0
            let negative =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM memory_feedback WHERE memory_id = ? AND polarity = 'negative'",
                    arguments: [memoryID]) ?? 0
            var memory = try MemoryRecord.decode(payload)
            memory.feedback = FeedbackCounts(positive: positive, negative: negative)
            try Self.replace(MemoryRecord(memory), db: db)
        }
    }

    func auditLog(memoryID: String) async throws -> [AuditLogEntry] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT memory_id, actor, action, from_status, to_status, reason, at FROM memory_audit_log
                    WHERE memory_id = ? ORDER BY id
                    """, arguments: [memoryID]
            ).map { row in
                AuditLogEntry(
                    memoryID: row["memory_id"], actor: row["actor"], action: row["action"],
                    fromStatus: (row["from_status"] as String?).flatMap(MemoryStatus.init(rawValue:)),
                    toStatus: (row["to_status"] as String?).flatMap(MemoryStatus.init(rawValue:)),
                    reason: row["reason"], at: Date(timeIntervalSince1970: row["at"]))
            }
        }
    }

    func purge(id: String, audit: AuditLogEntry) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM memory_feedback WHERE memory_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM memories WHERE id = ?", arguments: [id])
            try Self.insert(audit, db: db)
        }
    }

    static func insert(_ record: MemoryRecord, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO memories (id, kind, job_base, error_key, status, platform, search_text, positive, negative,
                    auditor_score, created_at, updated_at, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.id, record.kind, record.jobBase, record.errorKey, record.status, record.platform,
                record.searchText, record.positive, record.negative, record.auditorScore, record.createdAt,
                record.updatedAt, record.payload,
            ])
    }

    static func replace(_ record: MemoryRecord, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE memories SET kind = ?, job_base = ?, error_key = ?, status = ?, platform = ?, search_text = ?,
                    positive = ?, negative = ?, auditor_score = ?, updated_at = ?, payload = ?
                WHERE id = ?
                """,
            arguments: [
                record.kind, record.jobBase, record.errorKey, record.status, record.platform, record.searchText,
                record.positive, record.negative, record.auditorScore, record.updatedAt, record.payload, record.id,
            ])
    }

    static func insert(_ audit: AuditLogEntry, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO memory_audit_log (memory_id, actor, action, from_status, to_status, reason, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                audit.memoryID, audit.actor, audit.action, audit.fromStatus?.rawValue, audit.toStatus?.rawValue,
                audit.reason, audit.at.timeIntervalSince1970,
            ])
    }

    static func databaseValue(_ value: SQLValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .text(let text): text
        case .real(let number): number
        case .integer(let number): number
        }
    }
}
