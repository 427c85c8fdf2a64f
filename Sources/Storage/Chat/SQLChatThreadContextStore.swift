import Foundation
import ResyncCore

/// `ChatThreadContextStore` on SQLite or PostgreSQL: one row per thread the bot answered in.
public struct SQLChatThreadContextStore: ChatThreadContextStore {
    let sql: ChatSQL

    public init(database: AppDatabase) {
        self.sql = ChatSQL(database: database)
    }

    public func remember(platform: ChatPlatformKind, channel: String, thread: String, jobName: String?, at: Date)
        async throws
    {
        try await sql.execute(
            SQLStatement(
                """
                INSERT INTO chat_thread_context (platform, channel, thread, job_name, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (platform, channel, thread) DO UPDATE
                SET job_name = COALESCE(excluded.job_name, chat_thread_context.job_name),
                    updated_at = excluded.updated_at
                """, [.text(platform.rawValue), .text(channel), .text(thread), .text(jobName), .date(at)]))
    }

    public func context(platform: ChatPlatformKind, channel: String, thread: String) async throws -> ThreadContext? {
        try await sql.query(
            SQLStatement(
                """
                SELECT job_name, updated_at FROM chat_thread_context
                WHERE platform = ? AND channel = ? AND thread = ?
                """, [.text(platform.rawValue), .text(channel), .text(thread)])
        ) { row in
            ThreadContext(
                conversation: ConversationRef(platform: platform, channel: channel, thread: thread),
                jobName: try row.optionalString("job_name"), updatedAt: try row.date("updated_at"))
        }.first
    }
}
