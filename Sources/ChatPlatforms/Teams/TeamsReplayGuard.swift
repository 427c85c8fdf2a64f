import Foundation

/// Remembers activity ids so a replayed outgoing-webhook request is refused. The chat core's durable
/// dedupe store (shared by replicas) implements it in production; `InMemoryTeamsReplayGuard` serves a
/// single process.
public protocol TeamsReplayGuard: Sendable {
    /// Records `activityID`; returns false when it was already recorded and has not expired.
    func firstSighting(of activityID: String, at now: Date) async -> Bool
}

/// A bounded in-memory replay guard: ids expire after `retention`, and past `capacity` the oldest go first.
public actor InMemoryTeamsReplayGuard: TeamsReplayGuard {
    private let retention: TimeInterval
    private let capacity: Int
    private var seenAt: [String: Date] = [:]
    private var order: [String] = []
    private var orderStart = 0

    /// `retention` should exceed the accepted timestamp skew (5 minutes), so an id cannot expire while a
    /// replay of it would still pass the timestamp check.
    public init(retention: TimeInterval = 15 * 60, capacity: Int = 10_000) {
        self.retention = retention
        self.capacity = max(1, capacity)
    }

    public func firstSighting(of activityID: String, at now: Date) -> Bool {
        evict(now: now)
        if seenAt[activityID] != nil { return false }
        seenAt[activityID] = now
        order.append(activityID)
        return true
    }

    public var count: Int { seenAt.count }

    private func evict(now: Date) {
        while orderStart < order.count {
            let oldest = order[orderStart]
            let expired = seenAt[oldest].map { now.timeIntervalSince($0) > retention } ?? true
            guard expired || seenAt.count >= capacity else { break }
            seenAt[oldest] = nil
            orderStart += 1
        }
        // Compact the queue once half of it is consumed, keeping appends amortised O(1).
        if orderStart > 0, orderStart * 2 >= order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }
}
