import Foundation
import Logging
import ResyncCore
import Storage
import Synchronization
import TestSupport
import Testing

/// A clock that moves forward one second each time it is read, so orderings by time are deterministic.
final class SteppingClock: TimeSource {
    let current = Mutex(Date(timeIntervalSince1970: 1_700_000_000))

    func now() -> Date {
        current.withLock { date in
            date += 1
            return date
        }
    }

    func sleep(for duration: Duration) async throws {}
}

@Suite("Memory store (SQLite and PostgreSQL)")
struct MemoryStoreTests {
    static func withStore<T: Sendable>(
        _ engine: TestEngine, _ body: @Sendable (SQLMemoryStore, SteppingClock) async throws -> T
    ) async throws -> T {
        try await TestDatabases.withDatabase(engine) { database in
            let clock = SteppingClock()
            return try await body(
                SQLMemoryStore(database: database, time: clock, logger: Logger(label: "test.memory")), clock)
        }
    }

    static func solution(
        _ id: String, job: String = "PAYROLL_FINAL", error: String? = "RC=12", status: MemoryStatus = .active,
        at seconds: TimeInterval = 0
    ) -> Memory {
        Memory(
            id: id, kind: .knownSolution, jobName: job, errorSignature: error, text: "Solução \(id)", author: "ana",
            conversation: ConversationRef(platform: .slack, channel: "C1", thread: "T\(id)"),
            sourceLink: "https://slack.example.com/archives/C1/p\(id)", status: status,
            createdAt: Date(timeIntervalSince1970: 1_600_000_000 + seconds))
    }

    static func feedback(_ user: String, _ polarity: Feedback.Polarity, added: Bool = true) -> Feedback {
        Feedback(
            conversation: ConversationRef(platform: .slack, channel: "C1", message: "m1"), user: user,
            polarity: polarity, signal: polarity == .positive ? "+1" : "-1", added: added, at: Date())
    }

    @Test(arguments: TestEngine.available)
    func recordsAndReadsBack(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _ in
            let memory = Memory(
                id: "q1", kind: .answeredQuestion, jobName: "PAYROLL_FINAL", errorSignature: "ABEND S0C4",
                question: "Por que a folha falhou?", text: "Falhou por ABEND S0C4", author: "resync",
                conversation: ConversationRef(platform: .teams, channel: "ops", thread: "t1", message: "m1"),
                usedKnowledgeKeys: ["kb:1"], usedMemoryIDs: ["s1"],
                createdAt: Date(timeIntervalSince1970: 1_600_000_000))
            try await store.record(memory)
            #expect(try await store.memory(id: "q1") == memory)
            #expect(try await store.memory(id: "missing") == nil)
            #expect(try await store.auditLog(memoryID: "q1").map(\.action) == ["create"])
            #expect(try await store.list(MemoryFilter(platform: .teams)).map(\.id) == ["q1"])
            #expect(try await store.list(MemoryFilter(text: "FOLHA falhou")).map(\.id) == ["q1"])
            #expect(try await store.list(MemoryFilter(kind: .knownSolution)).isEmpty)
            return ()
        }
    }

    @Test(arguments: TestEngine.available)
    func statusChangesAreAuditedAndDeletesAreSoft(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _ in
            try await store.record(Self.solution("s1"))
            try await store.setStatus(id: "s1", to: .approved, actor: "lead", reason: "confirmed twice")
            try await store.setStatus(id: "s1", to: .approved, actor: "lead", reason: "no-op")
            try await store.updateText(
                id: "s1", text: "Reexecute com o arquivo corrigido", actor: "lead", reason: "clarity")
            try await store.setStatus(id: "s1", to: .deleted, actor: "admin", reason: "duplicate")
            #expect(try await store.list(MemoryFilter()).isEmpty)
            #expect(try await store.list(MemoryFilter(statuses: [.deleted])).map(\.id) == ["s1"])
            #expect(try await store.knownSolutions(jobName: "PAYROLL_FINAL", errorSignature: nil, limit: 5).isEmpty)

            try await store.restore(id: "s1", actor: "admin", reason: "not a duplicate")
            let restored = try #require(try await store.memory(id: "s1"))
            #expect(restored.status == .approved)
            #expect(restored.text == "Reexecute com o arquivo corrigido")

            let log = try await store.auditLog(memoryID: "s1")
            #expect(log.map(\.action) == ["create", "approve", "edit", "delete", "approve"])
            #expect(log[1].fromStatus == .active && log[1].toStatus == .approved && log[1].actor == "lead")
            #expect(log[3].reason == "duplicate")
            #expect(zip(log, log.dropFirst()).allSatisfy { $0.at < $1.at })
            await #expect(throws: MemoryStoreError.notFound("nope")) {
                try await store.setStatus(id: "nope", to: .flagged, actor: "x", reason: "y")
            }
            await #expect(throws: MemoryStoreError.notDeleted("s1")) {
                try await store.restore(id: "s1", actor: "x", reason: "y")
            }
            return ()
        }
    }

    @Test(arguments: TestEngine.available)
    func feedbackCountsOncePerUserAndCanBeWithdrawn(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _ in
            try await store.record(Self.solution("s1"))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u1", .positive))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u1", .positive))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u2", .positive))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u3", .negative))
            #expect(try await store.memory(id: "s1")?.feedback == FeedbackCounts(positive: 2, negative: 1))
            // u2 changes their mind: one user, one signal.
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u2", .negative))
            #expect(try await store.memory(id: "s1")?.feedback == FeedbackCounts(positive: 1, negative: 2))
            // Removing a reaction that is no longer on record changes nothing; removing the current one withdraws it.
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u2", .positive, added: false))
            #expect(try await store.memory(id: "s1")?.feedback == FeedbackCounts(positive: 1, negative: 2))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u3", .negative, added: false))
            #expect(try await store.memory(id: "s1")?.feedback == FeedbackCounts(positive: 1, negative: 1))
            await #expect(throws: MemoryStoreError.notFound("nope")) {
                try await store.applyFeedback(memoryID: "nope", Self.feedback("u1", .positive))
            }
            return ()
        }
    }

    @Test(arguments: TestEngine.available)
    func knownSolutionsRankByQuality(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _ in
            try await store.record(Self.solution("old-good", at: 10))
            try await store.record(Self.solution("new-plain", at: 30))
            try await store.record(Self.solution("approved", at: 5))
            try await store.record(Self.solution("no-error", error: nil, at: 40))
            try await store.record(Self.solution("other-error", error: "ABEND S0C4", at: 50))
            try await store.record(Self.solution("other-job", job: "JOB_B", at: 60))
            try await store.record(Self.solution("rejected", status: .rejected, at: 70))
            try await store.record(Self.solution("flagged", status: .flagged, at: 80))
            try await store.setStatus(id: "approved", to: .approved, actor: "lead", reason: "ok")
            try await store.applyFeedback(memoryID: "old-good", Self.feedback("u1", .positive))
            try await store.applyFeedback(memoryID: "old-good", Self.feedback("u2", .positive))
            try await store.applyFeedback(memoryID: "new-plain", Self.feedback("u1", .negative))
            try await store.setAuditorScore(id: "no-error", score: 0.9, reason: "clear steps")

            let ranked = try await store.knownSolutions(jobName: "PAYROLL_FINAL", errorSignature: "rc 12", limit: 10)
            #expect(ranked.map(\.id) == ["approved", "old-good", "new-plain", "no-error"])
            let any = try await store.knownSolutions(jobName: "/FIN/payroll_final", errorSignature: nil, limit: 10)
            #expect(Set(any.map(\.id)) == ["approved", "old-good", "new-plain", "no-error", "other-error"])
            #expect(any.first?.id == "approved")
            #expect(try await store.knownSolutions(jobName: "PAYROLL_FINAL", errorSignature: nil, limit: 2).count == 2)
            let scored = try #require(try await store.memory(id: "no-error"))
            #expect(scored.auditorScore == 0.9 && scored.auditorReason == "clear steps" && scored.status == .active)
            return ()
        }
    }

    @Test(arguments: TestEngine.available)
    func purgeIsTheOnlyHardDeleteAndIsAudited(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _ in
            try await store.record(Self.solution("s1"))
            try await store.applyFeedback(memoryID: "s1", Self.feedback("u1", .positive))
            try await store.purge(id: "s1", actor: "admin", reason: "personal data")
            #expect(try await store.memory(id: "s1") == nil)
            #expect(try await store.list(MemoryFilter(statuses: Set(MemoryStatus.allCases))).isEmpty)
            #expect(try await store.auditLog(memoryID: "s1").last?.action == "purge")
            return ()
        }
    }
}
