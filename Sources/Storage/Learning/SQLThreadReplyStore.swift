import Foundation
import ResyncCore

/// `ThreadReplyStore` on SQLite or PostgreSQL: one row per operator reply, keyed by platform, channel and
/// platform message id (the key a reaction event carries).
public struct SQLThreadReplyStore: ThreadReplyStore {
    let sql: ChatSQL

    public init(database: AppDatabase) {
        self.sql = ChatSQL(database: database)
    }

    public func keep(_ reply: ThreadReply) async throws {
        let conversation = reply.conversation
        guard let message = conversation.message, let thread = conversation.thread else {
            throw ThreadReplyStoreError.notAThreadReply
        }
        try await sql.execute(
            SQLStatement(
                """
                INSERT INTO learning_thread_replies (platform, channel, message, thread, author, text, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, channel, message) DO NOTHING
                """,
                [
                    .text(conversation.platform.rawValue), .text(conversation.channel), .text(message), .text(thread),
                    .text(reply.author), .text(reply.text), .date(reply.receivedAt),
                ]))
    }

    public func reply(platform: ChatPlatformKind, channel: String, messageID: String) async throws -> ThreadReply? {
        try await sql.query(
            SQLStatement(
                """
                SELECT thread, author, text, received_at FROM learning_thread_replies
                WHERE platform = ? AND channel = ? AND message = ?
                """, [.text(platform.rawValue), .text(channel), .text(messageID)])
        ) { row in
            ThreadReply(
                conversation: ConversationRef(
                    platform: platform, channel: channel, thread: try row.string("thread"), message: messageID),
                author: try row.string("author"), text: try row.string("text"), receivedAt: try row.date("received_at"))
        }.first
    }

    @discardableResult
    public func purge(receivedBefore: Date) async throws -> Int {
        try await sql.query(
            SQLStatement(
                "DELETE FROM learning_thread_replies WHERE received_at < ? RETURNING message", [.date(receivedBefore)])
        ) { _ in 1 }.count
    }
}

/// Why a reply could not be kept.
public enum ThreadReplyStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAThreadReply

    public var description: String {
        "a thread reply needs its thread and its own message id; keep only replies the platform identified"
    }
}
