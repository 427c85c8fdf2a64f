import Foundation
import ResyncCore

/// The web chat's answers and the 👍/👎 on them, on SQLite or PostgreSQL. `/api/ask` remembers each answer it
/// gives in `web_answers`; a vote is accepted only for a remembered answer and goes to the chat platforms' feedback
/// store (`chat_feedback`, platform `web`, the answer id as the message) under one signal per user and answer, so a
/// changed vote replaces the earlier one instead of adding to it.
public struct SQLWebFeedbackStore: WebFeedbackRecording {
    let sql: ChatSQL
    let feedback: any AnswerFeedbackStore

    /// - Parameter feedback: where votes go: the chat platforms' store, wrapped like theirs so that a vote also
    ///   reaches the answer's memory when it has one.
    public init(database: AppDatabase, feedback: any AnswerFeedbackStore) {
        self.sql = ChatSQL(database: database)
        self.feedback = feedback
    }

    public func rememberAnswer(_ answer: WebAnswerRecord) async throws {
        try await sql.execute(
            SQLStatement(
                """
                INSERT INTO web_answers (answer_id, user_name, job_name, at) VALUES (?, ?, ?, ?)
                ON CONFLICT (answer_id) DO NOTHING
                """,
                [.text(answer.answerID), .text(answer.user), .text(answer.jobName), .date(answer.at)]))
    }

    public func record(_ vote: WebAnswerFeedback) async throws -> WebVoteOutcome {
        guard let answer = try await givenAnswer(vote.answerID) else {
            throw WebFeedbackError.unknownAnswer(vote.answerID)
        }
        var signal = vote.feedback
        signal.conversation = ConversationRef(platform: .web, channel: "web", thread: nil, message: vote.answerID)
        signal.signal = WebAnswerFeedback.voteSignal
        signal.added = true
        let before = try await standingVote(of: signal.user, on: vote.answerID)
        // The web has no outbox item: the answer itself is the message voted on.
        try await feedback.record(
            AnswerFeedback(feedback: signal, outboxID: "", answerID: vote.answerID, jobName: answer.jobName))
        guard let before else { return .new }
        return before == signal.polarity ? .unchanged : .changed(from: before)
    }

    public func forgetAnswers(before date: Date) async throws {
        try await sql.execute(SQLStatement("DELETE FROM web_answers WHERE at < ?", [.date(date)]))
    }

    /// The remembered answer, with the job it was about.
    func givenAnswer(_ answerID: String) async throws -> (answerID: String, jobName: String?)? {
        try await sql.query(
            SQLStatement("SELECT answer_id, job_name FROM web_answers WHERE answer_id = ?", [.text(answerID)])
        ) { (try $0.string("answer_id"), try $0.optionalString("job_name")) }.first
    }

    /// The polarity of the user's current web vote on the answer, if any.
    func standingVote(of user: String, on answerID: String) async throws -> Feedback.Polarity? {
        try await feedback.feedback(answerID: answerID).first {
            let signal = $0.feedback
            return signal.conversation.platform == .web && signal.user == user
                && signal.signal == WebAnswerFeedback.voteSignal
                && signal.added
        }?.feedback.polarity
    }
}
