import Foundation

/// Slows down password guessing: after `freeAttempts` failures for one user from one address within `window`,
/// further attempts are refused for a lockout that doubles with each failure, up to `maximumLockout`.
/// Memory is bounded: at most `capacity` keys are tracked; the least recently seen is forgotten first.
public actor LoginThrottle {
    struct Entry {
        var failures: Int
        var firstFailure: Date
        var lockedUntil: Date?
        var lastSeen: Date
    }

    public let capacity: Int
    public let freeAttempts: Int
    public let window: TimeInterval
    public let baseLockout: TimeInterval
    public let maximumLockout: TimeInterval
    private var entries: [String: Entry] = [:]

    public init(
        capacity: Int = 10_000, freeAttempts: Int = 5, window: TimeInterval = 900, baseLockout: TimeInterval = 30,
        maximumLockout: TimeInterval = 900
    ) {
        self.capacity = max(1, capacity)
        self.freeAttempts = freeAttempts
        self.window = window
        self.baseLockout = baseLockout
        self.maximumLockout = maximumLockout
    }

    public static func key(user: String, address: String?) -> String {
        "\(user.lowercased())|\(address ?? "unknown")"
    }

    /// Seconds to wait before `key` may try again, or nil when an attempt is allowed now.
    public func retryAfter(_ key: String, now: Date) -> TimeInterval? {
        guard let lockedUntil = entries[key]?.lockedUntil, lockedUntil > now else { return nil }
        return lockedUntil.timeIntervalSince(now)
    }

    public func recordFailure(_ key: String, now: Date) {
        var entry = entries[key] ?? Entry(failures: 0, firstFailure: now, lockedUntil: nil, lastSeen: now)
        if now.timeIntervalSince(entry.firstFailure) > window && (entry.lockedUntil ?? .distantPast) <= now {
            entry = Entry(failures: 0, firstFailure: now, lockedUntil: nil, lastSeen: now)
        }
        entry.failures += 1
        entry.lastSeen = now
        if entry.failures >= freeAttempts {
            let doublings = Double(min(entry.failures - freeAttempts, 20))
            entry.lockedUntil = now.addingTimeInterval(min(maximumLockout, baseLockout * pow(2, doublings)))
        }
        if entries[key] == nil && entries.count >= capacity { evict(now: now) }
        entries[key] = entry
    }

    public func recordSuccess(_ key: String) {
        entries[key] = nil
    }

    /// How many keys are tracked (for tests and metrics).
    public var trackedKeys: Int { entries.count }

    private func evict(now: Date) {
        entries = entries.filter { _, entry in
            now.timeIntervalSince(entry.lastSeen) <= window || (entry.lockedUntil ?? .distantPast) > now
        }
        while entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            entries[oldest.key] = nil
        }
    }
}
