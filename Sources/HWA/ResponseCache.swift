import Foundation
import ResyncCore

/// A short-lived answer cache with single-flight: while one caller fetches a key, identical queries wait
/// for its answer instead of sending their own request. Failures are not cached.
actor ResponseCache {
    private enum Entry {
        case ready(any Sendable, expires: Date)
        case loading([CheckedContinuation<any Sendable, any Error>])
    }

    private let timeSource: any TimeSource
    private let maxEntries: Int
    private var entries: [String: Entry] = [:]

    init(timeSource: any TimeSource, maxEntries: Int = 1_000) {
        self.timeSource = timeSource
        self.maxEntries = maxEntries
    }

    /// The cached value of `key` if younger than `ttl`, else the result of `load` (shared by concurrent callers).
    /// `hit` tells the caller whether it was served from the cache (fresh or in flight).
    func value<Value: Sendable>(
        key: String, ttl: Duration, load: @Sendable () async throws -> Value
    ) async throws -> (value: Value, hit: Bool) {
        switch entries[key] {
        case .ready(let value, let expires) where expires > timeSource.now():
            if let value = value as? Value { return (value, true) }
        case .loading:
            let value: any Sendable
            do {
                value = try await withCheckedThrowingContinuation { continuation in
                    appendWaiter(continuation, to: key)
                }
            } catch is CancellationError where !Task.isCancelled {
                // The caller doing the fetch was cancelled, not this one: fetch (or wait) again.
                return try await self.value(key: key, ttl: ttl, load: load)
            }
            guard let typed = value as? Value else {
                throw SchedulerError.invalidResponse("cached answer of an unexpected type")
            }
            return (typed, true)
        default:
            break
        }
        entries[key] = .loading([])
        let result: Result<Value, any Error>
        do {
            result = .success(try await load())
        } catch {
            result = .failure(error)
        }
        finish(key: key, result: result.map { $0 as any Sendable }, ttl: ttl)
        return (try result.get(), false)
    }

    private func appendWaiter(_ continuation: CheckedContinuation<any Sendable, any Error>, to key: String) {
        if case .loading(var waiters) = entries[key] {
            waiters.append(continuation)
            entries[key] = .loading(waiters)
        } else {
            // The load finished between the check and the suspension (cannot happen on an actor, kept safe).
            continuation.resume(throwing: CancellationError())
        }
    }

    private func finish(key: String, result: Result<any Sendable, any Error>, ttl: Duration) {
        var waiters: [CheckedContinuation<any Sendable, any Error>] = []
        if case .loading(let pending) = entries[key] { waiters = pending }
        if case .success(let value) = result, ttl > .zero {
            if entries.count >= maxEntries { evictExpired() }
            entries[key] = .ready(value, expires: timeSource.now().addingTimeInterval(ttl.inSeconds))
        } else {
            entries[key] = nil
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    private func evictExpired() {
        let now = timeSource.now()
        entries = entries.filter { _, entry in
            if case .ready(_, let expires) = entry { return expires > now }
            return true
        }
        if entries.count >= maxEntries {
            entries = entries.filter { _, entry in
                if case .loading = entry { return true }
                return false
            }
        }
    }

    /// Drops every cached answer (not the in-flight ones).
    func removeAll() {
        entries = entries.filter { _, entry in
            if case .loading = entry { return true }
            return false
        }
    }
}
