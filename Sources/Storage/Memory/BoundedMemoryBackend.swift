import Foundation
import ResyncCore

/// A PostgreSQL memory backend whose every call ends within its bound, so recording an answer or reading known
/// solutions never waits on a server that is down.
struct BoundedMemoryBackend: MemoryBackend {
    let base: any MemoryBackend
    let bound: PostgresCallBound

    func insert(_ record: MemoryRecord, audit: AuditLogEntry) async throws {
        try await bound.run { try await base.insert(record, audit: audit) }
    }
    func fetch(id: String) async throws -> Memory? { try await bound.run { try await base.fetch(id: id) } }
    func select(_ select: MemorySelect) async throws -> [Memory] {
        try await bound.run { try await base.select(select) }
    }
    func update(id: String, _ change: @escaping @Sendable (inout Memory) throws -> AuditLogEntry?) async throws {
        try await bound.run { try await base.update(id: id, change) }
    }
    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws {
        try await bound.run { try await base.applyFeedback(memoryID: memoryID, feedback) }
    }
    func auditLog(memoryID: String) async throws -> [AuditLogEntry] {
        try await bound.run { try await base.auditLog(memoryID: memoryID) }
    }
    func purge(id: String, audit: AuditLogEntry) async throws {
        try await bound.run { try await base.purge(id: id, audit: audit) }
    }
}
