import Foundation
import ResyncCore
import Synchronization

/// An in-memory `KnowledgeStore` with injectable latency and failures. Search is deliberately simple:
/// job pattern, job stream, error code and word overlap, each adding to the score.
public final class FakeKnowledgeStore: KnowledgeStore {
    public struct State: Sendable {
        public var entries: [KnowledgeEntry]
        public var latency: Duration
        public var failure: (any Error & Sendable)?
        public var queries: [KnowledgeQuery]
        public var lastImport: Date?
    }

    private let state: Mutex<State>

    public init(entries: [KnowledgeEntry] = [], latency: Duration = .zero, failure: (any Error & Sendable)? = nil) {
        state = Mutex(State(entries: entries, latency: latency, failure: failure, queries: [], lastImport: nil))
    }

    public func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    public var queries: [KnowledgeQuery] { state.withLock { $0.queries } }

    private func enter(_ query: KnowledgeQuery?) async throws -> State {
        let snapshot = state.withLock { state -> State in
            if let query { state.queries.append(query) }
            return state
        }
        if snapshot.latency > .zero { try await Task.sleep(for: snapshot.latency) }
        if let failure = snapshot.failure { throw failure }
        return snapshot
    }

    public func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] {
        let entries = try await enter(query).entries
        let matches = entries.compactMap { Self.score($0, query) }
        return Array(matches.sorted { $0.score > $1.score }.prefix(query.limit))
    }

    public func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        let previous = try await enter(nil).entries
        let oldKeys = Set(previous.map(\.key))
        let newKeys = Set(entries.map(\.key))
        update {
            $0.entries = entries
            $0.lastImport = Date()
        }
        return KnowledgeReplaceOutcome(
            created: newKeys.subtracting(oldKeys).count, updated: 0, unchanged: newKeys.intersection(oldKeys).count,
            removed: oldKeys.subtracting(newKeys).count)
    }

    public func entry(key: String) async throws -> KnowledgeEntry? {
        try await enter(nil).entries.first { $0.key == key }
    }

    public func stats() async throws -> KnowledgeStats {
        let snapshot = try await enter(nil)
        return KnowledgeStats(entries: snapshot.entries.count, lastImport: snapshot.lastImport)
    }

    static func score(_ entry: KnowledgeEntry, _ query: KnowledgeQuery) -> KnowledgeMatch? {
        var score = 0.0
        var reasons: [MatchReason] = []
        if let job = query.jobName?.uppercased(), let pattern = entry.jobPattern {
            if pattern.uppercased() == job {
                score += 10
                reasons.append(.exactJob)
            } else if WildcardName.matches(pattern: pattern, name: job) {
                score += 6
                reasons.append(.jobPattern(pattern))
            }
        }
        if let stream = query.jobStream, let entryStream = entry.jobStream,
            entryStream.uppercased() == stream.uppercased()
        {
            score += 4
            reasons.append(.jobStream(entryStream))
        }
        let wanted = Set(query.errorCodes.map { $0.uppercased() })
        for code in entry.errorCodes where wanted.contains(code.uppercased()) {
            score += 5
            reasons.append(.errorCode(code))
        }
        if let text = query.text, overlap(text, entry) >= 2 {
            score += 1
            reasons.append(.text)
        }
        return score > 0 ? KnowledgeMatch(entry: entry, score: score, reasons: reasons) : nil
    }

    static func overlap(_ text: String, _ entry: KnowledgeEntry) -> Int {
        func words(_ string: String) -> Set<String> {
            Set(string.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count > 3 })
        }
        let haystack = [entry.title, entry.description ?? "", entry.procedure ?? ""].joined(separator: " ")
        return words(text).intersection(words(haystack)).count
    }
}
