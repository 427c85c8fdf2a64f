import Foundation
import Logging
import PostgresNIO
import ResyncCore

struct PostgresMemoryBackend: MemoryBackend {
    let client: PostgresClient
    let logger: Logger

    func insert(_ record: MemoryRecord, audit: AuditLogEntry) async throws {
        try await transaction { connection in
            try await Self.insert(record, on: connection, logger: logger)
            try await Self.insert(audit, on: connection, logger: logger)
        }
    }

    func fetch(id: String) async throws -> Memory? {
        for try await payload in try await client.query("SELECT payload FROM memories WHERE id = \(id)", logger: logger)
            .decode(String.self)
        {
            return try MemoryRecord.decode(payload)
        }
        return nil
    }

    func select(_ select: MemorySelect) async throws -> [Memory] {
        var binds = PostgresBindings()
        for value in select.values {
            switch value {
            case .text(let text): binds.append(text)
            case .real(let number): binds.append(number)
            case .integer(let number): binds.append(number)
            }
        }
        var memories: [Memory] = []
        let query = PostgresQuery(unsafeSQL: select.postgresSQL, binds: binds)
        for try await payload in try await client.query(query, logger: logger).decode(String.self) {
            memories.append(try MemoryRecord.decode(payload))
        }
        return memories
    }

    /// A transaction whose failure surfaces as the store's own error (not postgres-nio's wrapper), so callers
    /// see the same errors on both engines.
    func transaction(_ body: (PostgresConnection) async throws -> Void) async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    func update(id: String, _ change: @escaping @Sendable (inout Memory) throws -> AuditLogEntry?) async throws {
        try await transaction { connection in
            var memory = try await Self.lock(id: id, on: connection, logger: logger)
            let audit = try change(&memory)
            try await Self.replace(MemoryRecord(memory), on: connection, logger: logger)
            if let audit { try await Self.insert(audit, on: connection, logger: logger) }
        }
    }

    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws {
        try await transaction { connection in
            var memory = try await Self.lock(id: memoryID, on: connection, logger: logger)
            let polarity = feedback.polarity.rawValue
            if feedback.added {
                try await connection.query(
                    """
                    INSERT INTO memory_feedback (memory_id, user_id, polarity, signal, at)
                    VALUES (\(memoryID), \(feedback.user), \(polarity), \(feedback.signal), \(feedback.at.timeIntervalSince1970))
                    ON CONFLICT (memory_id, user_id) DO UPDATE SET polarity = excluded.polarity,
                        signal = excluded.signal, at = excluded.at
                    """, logger: logger)
            } else {
                try await connection.query(
                    """
                    DELETE FROM memory_feedback WHERE memory_id = \(memoryID) AND user_id = \(feedback.user)
                        AND polarity = \(polarity)
                    """, logger: logger)
            }
            var counts = FeedbackCounts()
            let query: PostgresQuery = """
                SELECT COUNT(*) FILTER (WHERE polarity = 'positive'), COUNT(*) FILTER (WHERE polarity = 'negative')
                FROM memory_feedback WHERE memory_id = \(memoryID)
                """
            for try await (positive, negative) in try await connection.query(query, logger: logger)
                .decode((Int64, Int64).self)
            {
                counts = FeedbackCounts(positive: Int(positive), negative: Int(negative))
            }
            memory.feedback = counts
            try await Self.replace(MemoryRecord(memory), on: connection, logger: logger)
        }
    }

    func auditLog(memoryID: String) async throws -> [AuditLogEntry] {
        var entries: [AuditLogEntry] = []
        let query: PostgresQuery = """
            SELECT memory_id, actor, action, from_status, to_status, reason, at FROM memory_audit_log
            WHERE memory_id = \(memoryID) ORDER BY id
            """
        for try await (id, actor, action, from, to, reason, at) in try await client.query(query, logger: logger)
            .decode((String, String, String, String?, String?, String, Double).self)
        {
            entries.append(
                AuditLogEntry(
                    memoryID: id, actor: actor, action: action, fromStatus: from.flatMap(MemoryStatus.init(rawValue:)),
                    toStatus: to.flatMap(MemoryStatus.init(rawValue:)), reason: reason,
                    at: Date(timeIntervalSince1970: at)))
        }
        return entries
    }

    func purge(id: String, audit: AuditLogEntry) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM memory_feedback WHERE memory_id = \(id)", logger: logger)
            try await connection.query("DELETE FROM memories WHERE id = \(id)", logger: logger)
            try await Self.insert(audit, on: connection, logger: logger)
        }
    }

    /// A transaction whose "not found" errors surface as themselves rather than wrapped by postgres-nio.
    func transaction(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let storeError = error.closureError as? MemoryStoreError { throw storeError }
            throw error
        }
    }

    static func lock(id: String, on connection: PostgresConnection, logger: Logger) async throws -> Memory {
        let query: PostgresQuery = "SELECT payload FROM memories WHERE id = \(id) FOR UPDATE"
        for try await payload in try await connection.query(query, logger: logger).decode(String.self) {
            return try MemoryRecord.decode(payload)
        }
        throw MemoryStoreError.notFound(id)
    }

    static func insert(_ record: MemoryRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO memories (id, kind, job_base, error_key, status, platform, search_text, positive, negative,
                auditor_score, created_at, updated_at, payload)
            VALUES (\(record.id), \(record.kind), \(record.jobBase), \(record.errorKey), \(record.status),
                \(record.platform), \(record.searchText), \(record.positive), \(record.negative), \(record.auditorScore),
                \(record.createdAt), \(record.updatedAt), \(record.payload))
            """, logger: logger)
    }

    static func replace(_ record: MemoryRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE memories SET kind = \(record.kind), job_base = \(record.jobBase), error_key = \(record.errorKey),
                status = \(record.status), platform = \(record.platform), search_text = \(record.searchText),
                positive = \(record.positive), negative = \(record.negative), auditor_score = \(record.auditorScore),
                updated_at = \(record.updatedAt), payload = \(record.payload)
            WHERE id = \(record.id)
            """, logger: logger)
    }

    static func insert(_ audit: AuditLogEntry, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO memory_audit_log (memory_id, actor, action, from_status, to_status, reason, at)
            VALUES (\(audit.memoryID), \(audit.actor), \(audit.action), \(audit.fromStatus?.rawValue),
                \(audit.toStatus?.rawValue), \(audit.reason), \(audit.at.timeIntervalSince1970))
            """, logger: logger)
    }
}
