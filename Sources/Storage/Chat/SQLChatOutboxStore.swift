import Foundation
import ResyncCore

/// `ChatOutboxStore` on SQLite or PostgreSQL. A claim is a conditional UPDATE (`pending` → `sending`), so
/// only one worker of one replica ever sends an item.
public struct SQLChatOutboxStore: ChatOutboxStore {
    let sql: ChatSQL

    public init(database: AppDatabase) {
        self.sql = ChatSQL(database: database)
    }

    public func enqueue(_ items: [OutboxItem]) async throws {
        try await sql.transaction(items.enumerated().map { Self.insertStatement($0.element, position: $0.offset) })
    }

    public func due(now: Date, limit: Int, skipping: Set<OutboxChannel>) async throws -> [OutboxItem] {
        try await sql.execute(Self.failContinuationsOfFailedItems)
        var items: [OutboxItem] = []
        for platform in ChatPlatformKind.allCases {
            let skipped = skipping.filter { $0.platform == platform }.map(\.channel).sorted()
            items += try await sql.query(
                Self.dueStatement(platform: platform, now: now, limit: limit, skipping: skipped), Self.decode)
        }
        return Array(items.sorted { $0.createdAt < $1.createdAt }.prefix(limit))
    }

    /// Parts of an answer whose earlier part failed can never be threaded: they fail too.
    static let failContinuationsOfFailedItems = SQLStatement(
        """
        UPDATE chat_outbox SET status = 'failed', last_error = 'the message it continues was not sent'
        WHERE status = 'pending' AND depends_on IN (SELECT id FROM chat_outbox WHERE status = 'failed')
        """)

    /// Channels with pending items are listed by skipping through `chat_outbox_channel_queue` (one index probe
    /// per channel, however long its backlog), then each channel's oldest due item is read from the same index.
    static func dueStatement(platform: ChatPlatformKind, now: Date, limit: Int, skipping: [String]) -> SQLStatement {
        let skip = skipping.isEmpty ? "" : "AND c.channel NOT IN \(SQLStatement.placeholders(skipping.count))"
        return SQLStatement(
            """
            WITH RECURSIVE channels(channel, n) AS (
                SELECT MIN(channel), 1 FROM chat_outbox WHERE status = 'pending' AND platform = ?
                UNION ALL
                SELECT (SELECT MIN(m.channel) FROM chat_outbox m
                        WHERE m.status = 'pending' AND m.platform = ? AND m.channel > c.channel), c.n + 1
                FROM channels c WHERE c.channel IS NOT NULL AND c.n < \(maximumChannelsPerRound)
            )
            SELECT \(Self.columns) FROM channels c
            JOIN chat_outbox o ON o.id = (
                SELECT x.id FROM chat_outbox x
                WHERE x.status = 'pending' AND x.platform = ? AND x.channel = c.channel AND x.next_attempt_at <= ?
                  AND (x.depends_on IS NULL
                       OR EXISTS (SELECT 1 FROM chat_outbox d WHERE d.id = x.depends_on AND d.status = 'sent'))
                ORDER BY x.created_at, x.position LIMIT 1)
            WHERE c.channel IS NOT NULL \(skip)
            ORDER BY o.created_at, o.position LIMIT ?
            """,
            [.text(platform.rawValue), .text(platform.rawValue), .text(platform.rawValue), .date(now)]
                + skipping.map { .text($0) } + [.integer(limit)])
    }

    /// Channels looked at per platform and round; more than this many with pending items wait a round.
    static let maximumChannelsPerRound = 1_000

    public func claim(id: String, now: Date) async throws -> Bool {
        let rows = try await sql.query(
            SQLStatement(
                """
                UPDATE chat_outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1
                WHERE id = ? AND status = 'pending' RETURNING id
                """, [.date(now), .text(id)])
        ) { try $0.string("id") }
        return !rows.isEmpty
    }

    public func reserveChannel(_ channel: OutboxChannel, now: Date, until: Date) async throws -> ChannelReservation {
        // The upsert takes the slot only if it is free; on PostgreSQL a concurrent upsert of the same row waits for
        // this one to commit and then sees the new slot, so two replicas never both get it.
        let reserved = try await sql.query(
            SQLStatement(
                """
                INSERT INTO chat_channel_pacing (platform, channel, next_at) VALUES (?, ?, ?)
                ON CONFLICT (platform, channel) DO UPDATE SET next_at = excluded.next_at
                WHERE chat_channel_pacing.next_at <= ?
                RETURNING next_at
                """, [.text(channel.platform.rawValue), .text(channel.channel), .date(until), .date(now)])
        ) { try $0.date("next_at") }
        guard reserved.isEmpty else { return .reserved }
        let held = try await sql.query(
            SQLStatement(
                "SELECT next_at FROM chat_channel_pacing WHERE platform = ? AND channel = ?",
                [.text(channel.platform.rawValue), .text(channel.channel)])
        ) { try $0.date("next_at") }
        // Released between the two statements: free again, but this round leaves it to whoever took it.
        return .busy(until: held.first ?? now)
    }

    public func holdChannel(_ channel: OutboxChannel, until: Date) async throws {
        try await sql.execute(
            SQLStatement(
                """
                INSERT INTO chat_channel_pacing (platform, channel, next_at) VALUES (?, ?, ?)
                ON CONFLICT (platform, channel) DO UPDATE SET next_at = excluded.next_at
                WHERE chat_channel_pacing.next_at < excluded.next_at
                """, [.text(channel.platform.rawValue), .text(channel.channel), .date(until)]))
    }

    public func markSent(id: String, messageID: String?, at: Date) async throws {
        try await sql.transaction([
            // An item queued just as its dependency was marked sent missed the hand-over below; it went to the
            // dependency's thread (the worker looks it up), so record that for its own continuations.
            SQLStatement(
                """
                UPDATE chat_outbox SET thread_id = (
                    SELECT COALESCE(d.thread_id, d.platform_message_id) FROM chat_outbox d
                    WHERE d.id = chat_outbox.depends_on)
                WHERE id = ? AND thread_on_dependency = 1 AND thread_id IS NULL AND depends_on IS NOT NULL
                """, [.text(id)]),
            SQLStatement(
                """
                UPDATE chat_outbox SET status = 'sent', platform_message_id = ?, sent_at = ?, last_error = NULL
                WHERE id = ?
                """, [.text(messageID), .date(at), .text(id)]),
            // Continuations thread under the thread this item went to, or under the item itself.
            SQLStatement(
                """
                UPDATE chat_outbox SET thread_id = COALESCE(
                    (SELECT d.thread_id FROM chat_outbox d WHERE d.id = ?), ?)
                WHERE depends_on = ? AND thread_on_dependency = 1 AND thread_id IS NULL
                """, [.text(id), .text(messageID), .text(id)]),
        ])
    }

    public func reschedule(id: String, nextAttemptAt: Date, error: String) async throws {
        try await sql.execute(
            SQLStatement(
                """
                UPDATE chat_outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_at = NULL
                WHERE id = ? AND status = 'sending'
                """, [.date(nextAttemptAt), .text(error), .text(id)]))
    }

    public func markFailed(id: String, error: String, at: Date) async throws {
        try await sql.execute(
            SQLStatement(
                "UPDATE chat_outbox SET status = 'failed', last_error = ?, sent_at = NULL WHERE id = ?",
                [.text(error), .text(id)]))
    }

    public func abandonStaleClaims(olderThan cutoff: Date) async throws -> Int {
        try await sql.query(
            SQLStatement(
                """
                UPDATE chat_outbox SET status = 'failed',
                    last_error = 'interrupted while sending; not resent to avoid a duplicate'
                WHERE status = 'sending' AND claimed_at < ? RETURNING id
                """, [.date(cutoff)])
        ) { try $0.string("id") }.count
    }

    public func item(id: String) async throws -> OutboxItem? {
        try await sql.query(
            SQLStatement("SELECT \(Self.columns) FROM chat_outbox o WHERE o.id = ?", [.text(id)]), Self.decode
        ).first
    }

    public func sentItem(platform: ChatPlatformKind, channel: String, messageID: String) async throws -> OutboxItem? {
        try await sql.query(
            SQLStatement(
                """
                SELECT \(Self.columns) FROM chat_outbox o
                WHERE o.platform = ? AND o.channel = ? AND o.platform_message_id = ? AND o.status = 'sent'
                """, [.text(platform.rawValue), .text(channel), .text(messageID)]), Self.decode
        ).first
    }

    public func list(status: OutboxItem.Status?, limit: Int) async throws -> [OutboxItem] {
        if let status {
            return try await sql.query(
                SQLStatement(
                    "SELECT \(Self.columns) FROM chat_outbox o WHERE o.status = ? ORDER BY o.created_at, o.position LIMIT ?",
                    [.text(status.rawValue), .integer(limit)]), Self.decode)
        }
        return try await sql.query(
            SQLStatement(
                "SELECT \(Self.columns) FROM chat_outbox o ORDER BY o.created_at, o.position LIMIT ?",
                [.integer(limit)]), Self.decode)
    }

    static func insertStatement(_ item: OutboxItem, position: Int) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO chat_outbox (id, platform, channel, thread_id, depends_on, thread_on_dependency, operation,
                target_message_id, payload, fallback_url, answer_id, job_name, status, attempts, next_attempt_at,
                platform_message_id, last_error, created_at, position, sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(item.id), .text(item.platform.rawValue), .text(item.channel), .text(item.threadID),
                .text(item.dependsOn), .bool(item.threadOnDependency), .text(item.operation.rawValue),
                .text(item.targetMessageID), .text(item.payload), .text(item.fallbackURL), .text(item.answerID),
                .text(item.jobName), .text(item.status.rawValue), .integer(item.attempts),
                .date(item.nextAttemptAt), .text(item.platformMessageID), .text(item.lastError),
                .date(item.createdAt), .integer(position), .date(item.sentAt),
            ])
    }

    static let columns = """
        o.id, o.platform, o.channel, o.thread_id, o.depends_on, o.thread_on_dependency, o.operation, \
        o.target_message_id, o.payload, o.fallback_url, o.answer_id, o.job_name, o.status, o.attempts, \
        o.next_attempt_at, o.platform_message_id, o.last_error, o.created_at, o.sent_at
        """

    @Sendable static func decode(_ row: any SQLRowReader) throws -> OutboxItem {
        let platformName = try row.string("platform")
        guard let platform = ChatPlatformKind(rawValue: platformName) else {
            throw StorageError.query("unknown chat platform '\(platformName)' in chat_outbox")
        }
        return OutboxItem(
            id: try row.string("id"), platform: platform, channel: try row.string("channel"),
            threadID: try row.optionalString("thread_id"), dependsOn: try row.optionalString("depends_on"),
            threadOnDependency: try row.bool("thread_on_dependency"),
            operation: OutboxItem.Operation(rawValue: try row.string("operation")) ?? .post,
            targetMessageID: try row.optionalString("target_message_id"), payload: try row.string("payload"),
            fallbackURL: try row.optionalString("fallback_url"), answerID: try row.optionalString("answer_id"),
            jobName: try row.optionalString("job_name"),
            status: OutboxItem.Status(rawValue: try row.string("status")) ?? .failed,
            attempts: try row.int("attempts"), nextAttemptAt: try row.date("next_attempt_at"),
            platformMessageID: try row.optionalString("platform_message_id"),
            lastError: try row.optionalString("last_error"), createdAt: try row.date("created_at"),
            sentAt: try row.optionalDate("sent_at"))
    }
}
