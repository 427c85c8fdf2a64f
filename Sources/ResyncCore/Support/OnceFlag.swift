import Synchronization

/// True for the first caller of `claim()` only, from any thread: for work that must run once however many paths
/// reach it (closing a client from its service and from a failed start, for instance).
public final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    public init() {}

    /// Whether this call is the first.
    public func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
