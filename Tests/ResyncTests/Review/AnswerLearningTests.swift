import Foundation
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// Answers in a conversation become memories, and chat feedback on the answer reaches them.
@Suite("Learning: answered questions and their feedback")
struct AnswerLearningTests {
    struct FixedAnswerer: QuestionAnswering {
        let intent: Intent

        func answer(_ question: String, context: QuestionContext) async -> Answer {
            Answer(
                id: "answer-\(intent.rawValue)", question: question,
                parsed: ParsedQuestion(intent: intent, language: .english, jobName: "PAYROLL_FINAL"),
                headline: "PAYROLL_FINAL ended with RC=12",
                sources: [
                    SourceRef(kind: .knowledge, id: "KB-PAY-001", title: "Payroll procedure"),
                    SourceRef(kind: .memory, id: "sol-1", title: "Known solution"),
                    SourceRef(kind: .scheduler, id: "job-1", title: "HWA"),
                ], createdAt: Date(timeIntervalSince1970: 1_800_000_000))
        }
    }

    /// Keeps feedback rows in memory; the forwarder under test only needs `record` to be called.
    actor StoredFeedback: AnswerFeedbackStore {
        var rows: [AnswerFeedback] = []
        func record(_ feedback: AnswerFeedback) async throws { rows.append(feedback) }
        func feedback(answerID: String) async throws -> [AnswerFeedback] { rows.filter { $0.answerID == answerID } }
        func recent(since: Date, limit: Int) async throws -> [AnswerFeedback] { Array(rows.prefix(limit)) }
    }

    static let conversation = ConversationRef(platform: .slack, channel: "C1", thread: "1.1", message: "1.2")

    static func signal(_ polarity: Feedback.Polarity, user: String, added: Bool = true) -> AnswerFeedback {
        AnswerFeedback(
            feedback: Feedback(
                conversation: conversation, user: user, polarity: polarity, signal: polarity == .positive ? "+1" : "-1",
                added: added, at: Date(timeIntervalSince1970: 1_800_000_100)),
            outboxID: "out-1", answerID: "answer-\(Intent.jobStatus.rawValue)", jobName: "PAYROLL_FINAL")
    }

    @Test(arguments: TestEngine.available)
    func feedbackOnAnAnswerReachesItsMemoryAndTheMemoriesItUsed(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let logger = TestLogging.quiet("test.learning")
            let memories = SQLMemoryStore(database: database, logger: logger)
            try await memories.record(
                Memory(id: "sol-1", kind: .knownSolution, jobName: "PAYROLL_FINAL", text: "Rerun", createdAt: Date()))
            let recorder = AnsweredQuestionRecorder(
                answering: FixedAnswerer(intent: .jobStatus), memories: memories, logger: logger)
            _ = await recorder.answer(
                "status of PAYROLL_FINAL?", context: QuestionContext(conversation: Self.conversation, user: "U1"))
            let answered = try #require(try await memories.memory(id: "answer-\(Intent.jobStatus.rawValue)"))
            #expect(answered.kind == .answeredQuestion)
            #expect(answered.usedKnowledgeKeys == ["KB-PAY-001"])
            #expect(answered.usedMemoryIDs == ["sol-1"])
            #expect(answered.conversation == Self.conversation)

            let stored = StoredFeedback()
            let forwarder = MemoryFeedbackForwarder(store: stored, memories: memories, logger: logger)
            try await forwarder.record(Self.signal(.negative, user: "U2"))
            try await forwarder.record(Self.signal(.negative, user: "U3"))
            try await forwarder.record(Self.signal(.negative, user: "U3", added: false))
            #expect(await stored.rows.count == 3)
            #expect(try await memories.memory(id: answered.id)?.feedback == FeedbackCounts(positive: 0, negative: 1))
            #expect(try await memories.memory(id: "sol-1")?.feedback == FeedbackCounts(positive: 0, negative: 1))
        }
    }

    @Test func helpAndAnswersOutsideAConversationAreNotRemembered() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let memories = SQLMemoryStore(database: database, logger: TestLogging.quiet("test.learning"))
            let logger = TestLogging.quiet("test.learning")
            _ = await AnsweredQuestionRecorder(
                answering: FixedAnswerer(intent: .help), memories: memories, logger: logger
            )
            .answer("help", context: QuestionContext(conversation: Self.conversation))
            _ = await AnsweredQuestionRecorder(
                answering: FixedAnswerer(intent: .jobStatus), memories: memories, logger: logger
            ).answer("status?", context: QuestionContext())
            let remembered = try await memories.list(MemoryFilter())
            #expect(remembered.isEmpty)
        }
    }
}
