import Foundation
import ResyncCore
import Synchronization

/// An in-memory `MemoryStore` with injectable latency and failures.
public final class FakeMemoryStore: MemoryStore {
    public struct State: Sendable {
        public var memories: [Memory]
        public var auditLog: [AuditLogEntry]
        public var feedback: [String: [String: Feedback]]
        public var latency: Duration
        public var failure: (any Error & Sendable)?
    }

    public enum FakeError: Error, Hashable, Sendable { case unknownMemory(String) }

    private let state: Mutex<State>

    public init(memories: [Memory] = [], latency: Duration = .zero, failure: (any Error & Sendable)? = nil) {
        state = Mutex(State(memories: memories, auditLog: [], feedback: [:], latency: latency, failure: failure))
    }

    public func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    public var memories: [Memory] { state.withLock { $0.memories } }

    private func enter() async throws -> State {
        let snapshot = state.withLock { $0 }
        if snapshot.latency > .zero { try await Task.sleep(for: snapshot.latency) }
        if let failure = snapshot.failure { throw failure }
        return snapshot
    }

    public func record(_ memory: Memory) async throws {
        _ = try await enter()
        update { $0.memories.append(memory) }
    }

    public func memory(id: String) async throws -> Memory? {
        try await enter().memories.first { $0.id == id }
    }

    public func list(_ filter: MemoryFilter) async throws -> [Memory] {
        let memories = try await enter().memories.filter { memory in
            (filter.statuses.isEmpty || filter.statuses.contains(memory.status))
                && (filter.kind.map { $0 == memory.kind } ?? true)
                && (filter.jobName.map { $0.uppercased() == memory.jobName?.uppercased() } ?? true)
                && (filter.platform.map { $0 == memory.conversation?.platform } ?? true)
                && (filter.text.map { memory.text.localizedCaseInsensitiveContains($0) } ?? true)
        }
        return Array(memories.dropFirst(filter.offset).prefix(filter.limit))
    }

    public func knownSolutions(jobName: String, errorSignature: String?, limit: Int) async throws -> [Memory] {
        let memories = try await enter().memories.filter { memory in
            memory.kind == .knownSolution && [.active, .approved].contains(memory.status)
                && memory.jobName?.uppercased() == jobName.uppercased()
                && (errorSignature.map { signature in
                    memory.errorSignature.map { $0.uppercased().contains(signature.uppercased()) } ?? true
                } ?? true)
        }
        return Array(memories.sorted { $0.feedback.balance > $1.feedback.balance }.prefix(limit))
    }

    public func setStatus(id: String, to status: MemoryStatus, actor: String, reason: String) async throws {
        try await change(id: id, actor: actor, action: "status", reason: reason) { $0.status = status }
    }

    public func updateText(id: String, text: String, actor: String, reason: String) async throws {
        try await change(id: id, actor: actor, action: "edit", reason: reason) { $0.text = text }
    }

    public func applyFeedback(memoryID: String, _ feedback: Feedback) async throws {
        _ = try await enter()
        update { state in
            var perUser = state.feedback[memoryID] ?? [:]
            perUser[feedback.user] = feedback.added ? feedback : nil
            state.feedback[memoryID] = perUser
            guard let index = state.memories.firstIndex(where: { $0.id == memoryID }) else { return }
            let signals = perUser.values
            state.memories[index].feedback = FeedbackCounts(
                positive: signals.filter { $0.polarity == .positive }.count,
                negative: signals.filter { $0.polarity == .negative }.count)
        }
    }

    public func setAuditorScore(id: String, score: Double, reason: String) async throws {
        _ = try await enter()
        update { state in
            guard let index = state.memories.firstIndex(where: { $0.id == id }) else { return }
            state.memories[index].auditorScore = score
            state.memories[index].auditorReason = reason
        }
    }

    public func auditLog(memoryID: String) async throws -> [AuditLogEntry] {
        try await enter().auditLog.filter { $0.memoryID == memoryID }
    }

    private func change(
        id: String, actor: String, action: String, reason: String, _ edit: @Sendable (inout Memory) -> Void
    ) async throws {
        _ = try await enter()
        try state.withLock { state in
            guard let index = state.memories.firstIndex(where: { $0.id == id }) else {
                throw FakeError.unknownMemory(id)
            }
            let before = state.memories[index].status
            edit(&state.memories[index])
            state.auditLog.append(
                AuditLogEntry(
                    memoryID: id, actor: actor, action: action, fromStatus: before,
                    toStatus: state.memories[index].status, reason: reason, at: Date()))
        }
    }
}
