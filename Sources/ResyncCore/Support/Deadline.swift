/// Thrown by `withDeadline` when the operation did not finish in time.
public struct DeadlineExceeded: Error, Hashable, Sendable, CustomStringConvertible {
    public var limit: Duration

    public init(limit: Duration) { self.limit = limit }

    public var description: String { "no answer within \(limit)" }
}

/// Runs `operation`, cancelling it and throwing `DeadlineExceeded` when it takes longer than `limit`.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(limit: limit) }
        return first
    }
}
