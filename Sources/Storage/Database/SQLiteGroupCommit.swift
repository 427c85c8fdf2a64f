import GRDB
import Synchronization

/// Runs many small write transactions on SQLite's single writer as one: units of work that arrive while a
/// batch is being written wait for the next batch, each runs in its own savepoint (a failing unit is rolled
/// back alone and gets its own error), and one commit makes the whole batch durable.
///
/// SQLite has one writer per file, so under a burst of webhooks every acknowledgement used to queue for its
/// own `BEGIN … COMMIT`; the writer, not the CPU, capped acknowledgements per second. A unit still returns
/// only after its commit, so an acknowledged event is as durable as before.
final class SQLiteGroupCommit: Sendable {
    /// One caller's writes; returns its result or throws to roll back only its own changes.
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

    private func write(_ batch: [Pending], _ db: Database) {
        var results: [Result<Bool, any Error>] = []
        results.reserveCapacity(batch.count)
        do {
            try db.inTransaction {
                for pending in batch {
                    var value = false
                    do {
                        try db.inSavepoint {
                            value = try pending.unit(db)
                            return .commit
                        }
                        results.append(.success(value))
                    } catch {
                        results.append(.failure(error))
                    }
                }
                return .commit
            }
        } catch {
            // The commit itself failed (disk full, I/O error): nothing of the batch was written.
            for pending in batch { pending.continuation.resume(throwing: error) }
            return
        }
        for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
    }
}
