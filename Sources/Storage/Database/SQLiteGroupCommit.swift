import GRDB
import Synchronization

/// Runs many small write transactions on SQLite's single writer as one: units of work that arrive while a
/// batch is being written wait for the next batch, and one commit makes the whole batch durable. A failing
/// unit gets its own error and leaves nothing behind; the others are still written.
///
/// SQLite has one writer per file, so under a burst of webhooks every acknowledgement used to queue for its
/// own `BEGIN … COMMIT`; the writer, not the CPU, capped acknowledgements per second. A unit still returns
/// only after its commit, so an acknowledged event is as durable as before.
final class SQLiteGroupCommit: Sendable {
    /// One caller's writes; returns its result or throws to roll back only its own changes. A unit may run twice
    /// (again alone after another unit of its batch failed), so it must touch nothing but the database.
    typealias Unit = @Sendable (Database) throws -> Bool

    private struct Pending: Sendable {
        var unit: Unit
        var continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var draining = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// Bounds the time the writer is held by one batch (and so the wait of the next caller).
    let maximumBatch: Int

    init(writer: any DatabaseWriter, maximumBatch: Int = 256) {
        self.writer = writer
        self.maximumBatch = max(1, maximumBatch)
    }

    /// Runs `unit` in the next batch and returns its result once the batch is committed.
    func run(_ unit: @escaping Unit) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let startsDrain = state.withLock { state in
                state.queue.append(Pending(unit: unit, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startsDrain { scheduleBatch() }
        }
    }

    /// One batch per turn on GRDB's writer queue (not a task): other writers (the question processor, the
    /// outbox worker, the monitor) queued meanwhile get their turn before the next batch, even under a
    /// sustained burst of webhooks.
    private func scheduleBatch() {
        writer.asyncWriteWithoutTransaction { [self] db in
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                return batch
            }
            write(batch, db)
            let more = state.withLock { state -> Bool in
                if state.queue.isEmpty { state.draining = false }
                return state.draining
            }
            if more { scheduleBatch() }
        }
    }

    /// The whole batch in one transaction, without a savepoint per unit: savepoints cost two more statements per
    /// unit, and units fail only on I/O errors or defects. When one fails, the batch is rolled back and every unit
    /// runs again in its own transaction, so each caller still gets its own outcome.
    private func write(_ batch: [Pending], _ db: Database) {
        var results: [Bool] = []
        results.reserveCapacity(batch.count)
        do {
            try Self.inCachedTransaction(db) {
                for pending in batch { results.append(try pending.unit(db)) }
            }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for pending in batch { writeAlone(pending, db) }
            return
        }
        for (pending, result) in zip(batch, results) { pending.continuation.resume(returning: result) }
    }

    private func writeAlone(_ pending: Pending, _ db: Database) {
        var value = false
        do {
            try Self.inCachedTransaction(db) { value = try pending.unit(db) }
            pending.continuation.resume(returning: value)
        } catch {
            pending.continuation.resume(throwing: error)
        }
    }

    /// `Database.inTransaction` compiles BEGIN and COMMIT on every call; batches run often enough (thousands a
    /// second in a burst) for the compiled statements to be worth keeping.
    private static func inCachedTransaction(_ db: Database, _ body: () throws -> Void) throws {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            try body()
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
    }
}
