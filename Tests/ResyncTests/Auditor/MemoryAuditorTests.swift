import Auditor
import Foundation
import LLM
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Memory auditor against the real memory store")
struct MemoryAuditorTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func solution(_ id: String, job: String = "PAYROLL_FINAL", text: String, status: MemoryStatus = .active)
        -> Memory
    {
        Memory(
            id: id, kind: .knownSolution, jobName: job, errorSignature: "RC=12", text: text, author: "U_OPS",
            status: status, createdAt: now.addingTimeInterval(-86_400))
    }

    static func scheduler(withJobs names: [String] = ["PAYROLL_FINAL"]) -> FakeScheduler {
        FakeScheduler(
            jobs: names.map {
                Job(id: $0, name: $0, workstation: "/CPU1", jobStreamName: "PAYROLL", commonStatus: .error)
            })
    }

    static func auditor(
        _ memories: any MemoryStore, scheduler: (any SchedulerAPI)? = nil, judge: (any MemoryJudge)? = nil
    ) -> MemoryAuditor {
        MemoryAuditor(
            memories: memories, scheduler: scheduler ?? Self.scheduler(), judge: judge,
            clock: FakeTimeSource(now: now), logger: TestLogging.quiet("test.auditor"))
    }

    /// Runs `body` with a real memory store on `engine` and a judge talking HTTP to a scripted fake LLM.
    static func withStore(
        _ engine: TestEngine, judgeScript: [FakeOpenAIServer.Step]? = nil,
        _ body: @escaping @Sendable (SQLMemoryStore, (any MemoryJudge)?, FakeOpenAIServer?) async throws -> Void
    ) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLMemoryStore(
                database: database, time: FakeTimeSource(now: now), logger: TestLogging.quiet("t"))
            guard let judgeScript else {
                try await body(store, nil, nil)
                return
            }
            try await withFakeLLM(judgeScript) { server, client in
                try await body(store, LLMMemoryJudge(llm: client, model: "ollama/judge", timeout: .seconds(5)), server)
            }
        }
    }

    static func verdict(_ incorrect: Bool, _ confidence: Double) -> FakeOpenAIServer.Step {
        .text(
            #"{"is_incorrect": \#(incorrect), "confidence": \#(confidence), "reason": "restarting does not fix RC 12"}"#
        )
    }

    @Test(
        "judge thresholds", arguments: TestEngine.available,
        [
            (0.9, MemoryStatus.deleted), (0.85, .deleted), (0.7, .flagged), (0.6, .flagged), (0.3, .active),
        ])
    func judgeThresholds(engine: TestEngine, threshold: (Double, MemoryStatus)) async throws {
        let (confidence, expected) = threshold
        try await Self.withStore(engine, judgeScript: [Self.verdict(true, confidence)]) { store, judge, server in
            try await store.record(Self.solution("m1", text: "Restart the job, it always works"))
            let report = try await Self.auditor(store, judge: judge).run()
            let memory = try #require(try await store.memory(id: "m1"))
            #expect(memory.status == expected)
            #expect(report.examined == 1)
            #expect(server?.requests.count == 1)
            #expect(memory.auditorScore.map { $0 <= 1 - confidence + 1e-9 } == true)
            if expected != .active {
                let log = try await store.auditLog(memoryID: "m1")
                let entry = try #require(log.last)
                #expect(entry.actor == MemoryAuditor.actor)
                #expect(entry.toStatus == expected)
                #expect(entry.reason.contains("restarting does not fix RC 12"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func softDeleteIsReversible(engine: TestEngine) async throws {
        try await Self.withStore(engine, judgeScript: [Self.verdict(true, 0.95)]) { store, judge, _ in
            try await store.record(Self.solution("m1", text: "Delete the control file"))
            _ = try await Self.auditor(store, judge: judge).run()
            #expect(try await store.memory(id: "m1")?.status == .deleted)
            try await store.restore(id: "m1", actor: "reviewer", reason: "the fix is right")
            #expect(try await store.memory(id: "m1")?.status == .active)
            let actions = try await store.auditLog(memoryID: "m1").map(\.actor)
            #expect(actions.contains(MemoryAuditor.actor) && actions.contains("reviewer"))
        }
    }

    @Test(arguments: TestEngine.available)
    func humanDecisionsAreNeverTouched(engine: TestEngine) async throws {
        try await Self.withStore(engine, judgeScript: [Self.verdict(true, 0.99), Self.verdict(true, 0.99)]) {
            store, judge, server in
            try await store.record(
                Self.solution("approved", text: "Rerun after fixing the input file", status: .approved))
            try await store.record(Self.solution("rejected", text: "Ignore it", status: .rejected))
            let report = try await Self.auditor(store, judge: judge).run()
            #expect(try await store.memory(id: "approved")?.status == .approved)
            #expect(try await store.memory(id: "rejected")?.status == .rejected)
            #expect(report.examined == 0)
            #expect(server?.requests.isEmpty == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func malformedJudgeOutputIsIgnoredAndCounted(engine: TestEngine) async throws {
        try await Self.withStore(engine, judgeScript: [.text("I am fairly sure it is wrong.")]) { store, judge, _ in
            try await store.record(Self.solution("m1", text: "Rerun with the previous input"))
            let report = try await Self.auditor(store, judge: judge).run()
            #expect(report.judgeFailures == 1)
            #expect(try await store.memory(id: "m1")?.status == .active)
        }
    }

    @Test(arguments: TestEngine.available)
    func judgeOutageFallsBackToDeterministicSignals(engine: TestEngine) async throws {
        try await Self.withStore(engine, judgeScript: [.status(503, "overloaded")]) { store, judge, _ in
            try await store.record(Self.solution("m1", job: "RETIRED_JOB", text: "Rerun"))
            let report = try await Self.auditor(store, judge: judge).run()
            #expect(report.judgeFailures == 1)
            // The job is gone from the plan: flagged even without a verdict.
            #expect(try await store.memory(id: "m1")?.status == .flagged)
        }
    }

    @Test(arguments: TestEngine.available)
    func stronglyNegativeFeedbackAloneFlags(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _, _ in
            try await store.record(Self.solution("m1", text: "Kill the agent process"))
            let conversation = ConversationRef(platform: .slack, channel: "C1", thread: "1.0", message: "1.1")
            for user in ["U1", "U2", "U3"] {
                try await store.applyFeedback(
                    memoryID: "m1",
                    Feedback(conversation: conversation, user: user, polarity: .negative, signal: "-1", at: Self.now))
            }
            let finding = try await Self.auditor(store).run().findings.first
            #expect(finding?.action == .flag)
            let memory = try #require(try await store.memory(id: "m1"))
            #expect(memory.status == .flagged)
            #expect(memory.auditorReason?.contains("negative feedback") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func staleSolutionIsFlaggedOnlyWhenHWASaysSo(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _, _ in
            try await store.record(Self.solution("gone", job: "RETIRED_JOB", text: "Rerun"))
            try await store.record(Self.solution("live", job: "PAYROLL_FINAL", text: "Rerun after the lock clears"))
            let unreachable = FakeScheduler(failure: .unreachable("connection refused"))
            _ = try await Self.auditor(store, scheduler: unreachable).run()
            #expect(try await store.memory(id: "gone")?.status == .active)
            _ = try await Self.auditor(store, scheduler: Self.scheduler()).run()
            #expect(try await store.memory(id: "gone")?.status == .flagged)
            #expect(try await store.memory(id: "live")?.status == .active)
        }
    }

    @Test(arguments: TestEngine.available)
    func contradictingSolutionGoesToReview(engine: TestEngine) async throws {
        try await Self.withStore(engine) { store, _, _ in
            try await store.record(Self.solution("good", text: "Free space on /data then rerun the job from step 2"))
            try await store.record(Self.solution("odd", text: "Open a ticket with the network team immediately"))
            let conversation = ConversationRef(platform: .slack, channel: "C1", thread: "1.0", message: "1.2")
            try await store.applyFeedback(
                memoryID: "good",
                Feedback(conversation: conversation, user: "U1", polarity: .positive, signal: "+1", at: Self.now))
            _ = try await Self.auditor(store).run()
            #expect(try await store.memory(id: "good")?.status == .active)
            let odd = try #require(try await store.memory(id: "odd"))
            #expect(odd.status == .flagged)
            #expect(odd.auditorReason?.contains("disagrees with known solution good") == true)
        }
    }
}
