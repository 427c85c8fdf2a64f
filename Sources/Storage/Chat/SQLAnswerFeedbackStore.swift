import Foundation
import ResyncCore

/// `AnswerFeedbackStore` on SQLite or PostgreSQL. The primary key (message, user, signal) makes a user
/// count once per message and signal; removing a reaction flips `added`.
public struct SQLAnswerFeedbackStore: AnswerFeedbackStore {
    let sql: ChatSQL

    public init(database: AppDatabase) {
        self.sql = ChatSQL(database: database)
    }

    public func record(_ record: AnswerFeedback) async throws {
        let feedback = record.feedback
        let conversation = feedback.conversation
        try await sql.execute(
            SQLStatement(
                """
                INSERT INTO chat_feedback (platform, channel, message_id, user_id, signal, polarity, added, thread,
                    outbox_id, answer_id, job_name, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, channel, message_id, user_id, signal) DO UPDATE
                SET polarity = excluded.polarity, added = excluded.added, at = excluded.at
                """,
                [
                    .text(conversation.platform.rawValue), .text(conversation.channel),
                    .text(conversation.message ?? ""), .text(feedback.user), .text(feedback.signal),
                    .text(feedback.polarity.rawValue), .bool(feedback.added), .text(conversation.thread),
                    .text(record.outboxID), .text(record.answerID), .text(record.jobName), .date(feedback.at),
                ]))
    }

    public func feedback(answerID: String) async throws -> [AnswerFeedback] {
        try await sql.query(
            SQLStatement(
                "SELECT \(Self.columns) FROM chat_feedback WHERE answer_id = ? ORDER BY at, user_id, signal",
                [.text(answerID)]), Self.decode)
    }

    public func recent(since: Date, limit: Int) async throws -> [AnswerFeedback] {
        try await sql.query(
            SQLStatement(
                "SELECT \(Self.columns) FROM chat_feedback WHERE at >= ? ORDER BY at DESC LIMIT ?",
                [.date(since), .integer(limit)]), Self.decode)
    }

    static let columns =
        "platform, channel, message_id, user_id, signal, polarity, added, thread, outbox_id, answer_id, job_name, at"

    @Sendable static func decode(_ row: any SQLRowReader) throws -> AnswerFeedback {
        let platformName = try row.string("platform")
        guard let platform = ChatPlatformKind(rawValue: platformName) else {
            throw StorageError.query("unknown chat platform '\(platformName)' in chat_feedback")
        }
        let conversation = ConversationRef(
            platform: platform, channel: try row.string("channel"), thread: try row.optionalString("thread"),
            message: try row.string("message_id"))
        let feedback = Feedback(
            conversation: conversation, user: try row.string("user_id"),
            polarity: Feedback.Polarity(rawValue: try row.string("polarity")) ?? .negative,
            signal: try row.string("signal"), added: try row.bool("added"), at: try row.date("at"))
        return AnswerFeedback(
            feedback: feedback, outboxID: try row.string("outbox_id"), answerID: try row.optionalString("answer_id"),
            jobName: try row.optionalString("job_name"))
    }
}
