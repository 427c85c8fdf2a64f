import Foundation
import ResyncCore
import Storage
import TestSupport
import Testing

/// `SQLWebFeedbackStore` on both engines: votes only on answers `/api/ask` gave, one vote per user and answer.
@Suite("Web chat votes: remembered answers, one vote per user")
struct WebFeedbackStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_687_200)

    static func vote(_ answerID: String, _ user: String, _ polarity: Feedback.Polarity, at offset: Double = 0)
        -> WebAnswerFeedback
    {
        WebAnswerFeedback(
            answerID: answerID,
            feedback: Feedback(
                conversation: ConversationRef(platform: .web, channel: "web", message: answerID), user: user,
                polarity: polarity, signal: "thumbs_up", at: now + offset))
    }

    @Test(arguments: TestEngine.available)
    func oneVotePerUserAndAnswerStoredWithTheChatFeedback(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let rows = SQLAnswerFeedbackStore(database: database)
            let store = SQLWebFeedbackStore(database: database, feedback: rows)
            try await store.rememberAnswer(
                WebAnswerRecord(answerID: "ans-1", user: "viewer", jobName: "PAYROLL_FINAL", at: Self.now))
            #expect(try await store.record(Self.vote("ans-1", "viewer", .negative)) == .new)
            #expect(try await store.record(Self.vote("ans-1", "viewer", .negative, at: 1)) == .unchanged)
            #expect(try await store.record(Self.vote("ans-1", "viewer", .positive, at: 2)) == .changed(from: .negative))
            #expect(try await store.record(Self.vote("ans-1", "admin", .negative, at: 3)) == .new)
            let stored = try await rows.feedback(answerID: "ans-1")
            #expect(stored.count == 2)
            let viewer = try #require(stored.first { $0.feedback.user == "viewer" })
            #expect(viewer.feedback.polarity == .positive && viewer.feedback.added)
            #expect(viewer.feedback.conversation == ConversationRef(platform: .web, channel: "web", message: "ans-1"))
            #expect(viewer.feedback.signal == WebAnswerFeedback.voteSignal)
            #expect(viewer.jobName == "PAYROLL_FINAL")
        }
    }

    @Test(arguments: TestEngine.available)
    func votesOnAnswersNotGivenOrForgottenAreRefused(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let rows = SQLAnswerFeedbackStore(database: database)
            let store = SQLWebFeedbackStore(database: database, feedback: rows)
            try await store.rememberAnswer(WebAnswerRecord(answerID: "old", user: "u", jobName: nil, at: Self.now))
            try await store.rememberAnswer(
                WebAnswerRecord(answerID: "new", user: "u", jobName: nil, at: Self.now + 3_600))
            // Remembering twice keeps the first record.
            try await store.rememberAnswer(WebAnswerRecord(answerID: "new", user: "u", jobName: "X", at: Self.now))
            for id in ["not-a-uuid", "00000000-0000-0000-0000-000000000000"] {
                await #expect(throws: WebFeedbackError.unknownAnswer(id)) {
                    try await store.record(Self.vote(id, "u", .positive))
                }
            }
            try await store.forgetAnswers(before: Self.now + 60)
            await #expect(throws: WebFeedbackError.unknownAnswer("old")) {
                try await store.record(Self.vote("old", "u", .positive))
            }
            #expect(try await store.record(Self.vote("new", "u", .positive)) == .new)
            #expect(try await rows.recent(since: .distantPast, limit: 10).map(\.answerID) == ["new"])
        }
    }
}
