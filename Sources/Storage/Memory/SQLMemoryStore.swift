import Foundation
import Logging
import ResyncCore

/// What Resync learned, on the app's database (SQLite or PostgreSQL). Status changes and edits are
/// written to `memory_audit_log` in the same transaction; deletion is a status (restorable), and only
/// `purge` removes a row (the audit log keeps the trace).
public final class SQLMemoryStore: MemoryStore {
    let backend: any MemoryBackend
    let time: any TimeSource

    public init(database: AppDatabase, time: any TimeSource = SystemTimeSource(), logger: Logger) {
        switch database.engine {
        case .sqlite(let writer): backend = SQLiteMemoryBackend(writer: writer)
        case .postgres(let client):
            backend = BoundedMemoryBackend(
                base: PostgresMemoryBackend(client: client, logger: logger),
                bound: PostgresCallBound(limit: database.postgresCallTimeout))
        }
        self.time = time
    }

    public func record(_ memory: Memory) async throws {
        let audit = AuditLogEntry(
            memoryID: memory.id, actor: memory.author ?? "resync", action: "create", fromStatus: nil,
            toStatus: memory.status, reason: memory.kind.rawValue, at: time.now())
        try await backend.insert(MemoryRecord(memory), audit: audit)
    }

    public func memory(id: String) async throws -> Memory? {
        try await backend.fetch(id: id)
    }

    public func list(_ filter: MemoryFilter) async throws -> [Memory] {
        try await backend.select(MemorySelect.filter(filter))
    }

    public func knownSolutions(jobName: String, errorSignature: String?, limit: Int) async throws -> [Memory] {
        try await backend.select(
            MemorySelect.knownSolutions(jobName: jobName, errorSignature: errorSignature, limit: limit))
    }

    public func setStatus(id: String, to status: MemoryStatus, actor: String, reason: String) async throws {
        let now = time.now()
        try await backend.update(id: id) { memory in
            guard memory.status != status else { return nil }
            let audit = AuditLogEntry(
                memoryID: id, actor: actor, action: Self.action(for: status, from: memory.status),
                fromStatus: memory.status, toStatus: status, reason: reason, at: now)
            memory.status = status
            memory.updatedAt = now
            return audit
        }
    }

    /// Undoes a soft delete: the memory gets back the status it had before it was deleted.
    public func restore(id: String, actor: String, reason: String) async throws {
        guard let current = try await backend.fetch(id: id) else { throw MemoryStoreError.notFound(id) }
        guard current.status == .deleted else { throw MemoryStoreError.notDeleted(id) }
        let previous = try await backend.auditLog(memoryID: id).last { $0.toStatus == .deleted }?.fromStatus ?? .active
        try await setStatus(id: id, to: previous, actor: actor, reason: reason)
    }

    public func updateText(id: String, text: String, actor: String, reason: String) async throws {
        let now = time.now()
        try await backend.update(id: id) { memory in
            guard memory.text != text else { return nil }
            memory.text = text
            memory.updatedAt = now
            return AuditLogEntry(
                memoryID: id, actor: actor, action: "edit", fromStatus: memory.status, toStatus: memory.status,
                reason: reason, at: now)
        }
    }

    public func applyFeedback(memoryID: String, _ feedback: Feedback) async throws {
        try await backend.applyFeedback(memoryID: memoryID, feedback)
    }

    public func setAuditorScore(id: String, score: Double, reason: String) async throws {
        try await backend.update(id: id) { memory in
            memory.auditorScore = score
            memory.auditorReason = reason
            return nil
        }
    }

    public func auditLog(memoryID: String) async throws -> [AuditLogEntry] {
        try await backend.auditLog(memoryID: memoryID)
    }

    /// Removes a memory and its feedback for good (an explicit operator decision); the audit log keeps
    /// who purged it and why.
    public func purge(id: String, actor: String, reason: String) async throws {
        guard let memory = try await backend.fetch(id: id) else { throw MemoryStoreError.notFound(id) }
        let audit = AuditLogEntry(
            memoryID: id, actor: actor, action: "purge", fromStatus: memory.status, toStatus: nil, reason: reason,
            at: time.now())
        try await backend.purge(id: id, audit: audit)
    }

    static func action(for status: MemoryStatus, from previous: MemoryStatus) -> String {
        switch status {
        case .deleted: "delete"
        case .approved: "approve"
        case .rejected: "reject"
        case .flagged: "flag"
        case .active: previous == .deleted ? "restore" : "reactivate"
        }
    }
}

/// The SQL of one engine behind `SQLMemoryStore`.
protocol MemoryBackend: Sendable {
    func insert(_ record: MemoryRecord, audit: AuditLogEntry) async throws
    func fetch(id: String) async throws -> Memory?
    func select(_ select: MemorySelect) async throws -> [Memory]
    /// Loads, changes and saves one memory in a transaction. `change` returns the audit line to write
    /// (nil for none). Throws `MemoryStoreError.notFound` when there is no such memory.
    func update(id: String, _ change: @escaping @Sendable (inout Memory) throws -> AuditLogEntry?) async throws
    /// Upserts or withdraws one user's feedback and refreshes the memory's counts, in a transaction.
    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws
    func auditLog(memoryID: String) async throws -> [AuditLogEntry]
    func purge(id: String, audit: AuditLogEntry) async throws
}
