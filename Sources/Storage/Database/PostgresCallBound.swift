import Foundation
import ResyncCore

/// A bound on one PostgreSQL call. PostgresNIO queues a query until its pool has a connection and has no limit
/// of its own: while the server is down every call would wait until it came back, piling up webhook handlers and
/// stalling the outbox worker. Found by `make reliability` (PostgreSQL restart mid-run): a write while the server
/// was stopped only ended when the test cancelled it.
struct PostgresCallBound: Sendable {
    let limit: Duration

    /// Runs `operation`; past `limit` it is cancelled and a `StorageError` says what happened and what to check.
    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withDeadline(limit, operation)
        } catch is DeadlineExceeded {
            throw StorageError.query(
                "PostgreSQL did not answer within \(limit.secondsText) s (server down, unreachable, or every "
                    + "connection busy); the call was abandoned — check the server and DATABASE_URL")
        }
    }
}

extension Duration {
    fileprivate var secondsText: String {
        let seconds = inSeconds
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
