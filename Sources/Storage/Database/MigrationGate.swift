/// Lets the schema be brought up to date once per process, however many components ask for it first: the
/// server (before it listens) and the knowledge watcher (before its first import) both need it and start
/// concurrently. Callers that arrive while the migrations run wait for that run; a failed run is reported
/// to everyone who waited, and the next caller tries again.
actor MigrationGate {
    private enum State {
        case idle
        case running([CheckedContinuation<Void, any Error>])
        case done
    }

    private var state = State.idle

    func run(_ migrate: @Sendable () async throws -> Void) async throws {
        switch state {
        case .done:
            return
        case .running(var waiters):
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(continuation)
                state = .running(waiters)
            }
            return
        case .idle:
            state = .running([])
        }
        let result: Result<Void, any Error>
        do {
            try await migrate()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        guard case .running(let waiters) = state else { return }
        if case .success = result { state = .done } else { state = .idle }
        for waiter in waiters { waiter.resume(with: result) }
        try result.get()
    }
}
