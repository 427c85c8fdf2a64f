import Foundation
import ResyncCore

/// `ChatInboundStore` on SQLite or PostgreSQL: the dedupe key's primary key is the cross-replica lock.
public struct SQLChatInboundStore: ChatInboundStore {
    let sql: ChatSQL

    public init(database: AppDatabase) {
        self.sql = ChatSQL(database: database)
    }

    /// One conditional insert: the queue row's primary key is the delivery's dedupe key, held until
    /// `dedupeUntil` even when the question is finished (see `purge`).
    public func accept(_ item: InboundWorkItem, dedupeUntil: Date) async throws -> InboundAcceptance {
        let question = item.question
        let conversation = question.conversation
        let insertItem = SQLStatement(
            """
            INSERT INTO chat_inbound (id, platform, channel, thread, message, user_id, text, received_at,
                reply_in_thread, fallback_url, addressed, status, attempts, updated_at, dedupe_until)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """,
            [
                .text(item.id), .text(conversation.platform.rawValue), .text(conversation.channel),
                .text(conversation.thread), .text(conversation.message), .text(question.user), .text(question.text),
                .date(question.receivedAt), .bool(item.replyInThread), .text(item.fallbackURL), .bool(item.addressed),
                .text(InboundWorkItem.Status.pending.rawValue), .date(item.updatedAt), .date(dedupeUntil),
            ])
        let inserted = try await sql.guardedTransaction(insertItem, returning: "id", then: [])
        return inserted ? .accepted : .duplicate
    }

    public func enqueueClaimed(_ item: InboundWorkItem, token: String, at: Date) async throws -> InboundClaim? {
        let question = item.question
        let conversation = question.conversation
        let inserted = try await sql.query(
            SQLStatement(
                """
                INSERT INTO chat_inbound (id, platform, channel, thread, message, user_id, text, received_at,
                    reply_in_thread, fallback_url, addressed, status, attempts, updated_at, claim_token, claimed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                [
                    .text(item.id), .text(conversation.platform.rawValue), .text(conversation.channel),
                    .text(conversation.thread), .text(conversation.message), .text(question.user),
                    .text(question.text), .date(question.receivedAt), .bool(item.replyInThread),
                    .text(item.fallbackURL), .bool(item.addressed), .text(InboundWorkItem.Status.processing.rawValue),
                    .date(at),
                    .text(token), .date(at),
                ])
        ) { try $0.string("id") }
        guard !inserted.isEmpty else { return nil }
        var claimed = item
        claimed.status = .processing
        claimed.attempts = 1
        claimed.updatedAt = at
        return InboundClaim(item: claimed, token: token)
    }

    public func markSeen(key: String, platform: ChatPlatformKind, until: Date) async throws -> Bool {
        let rows = try await sql.query(
            SQLStatement(
                "INSERT INTO chat_dedupe (key, platform, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING key",
                [.text(key), .text(platform.rawValue), .date(until)])
        ) { try $0.string("key") }
        return !rows.isEmpty
    }

    public func claimNext(limit: Int, now: Date, staleBefore: Date) async throws -> [InboundClaim] {
        guard limit > 0 else { return [] }
        let candidates = try await sql.query(
            SQLStatement(
                """
                SELECT id FROM (
                    SELECT id, received_at FROM (
                        SELECT id, received_at FROM chat_inbound WHERE status = 'pending' ORDER BY received_at LIMIT ?
                    ) AS pending
                    UNION ALL
                    SELECT id, received_at FROM chat_inbound WHERE status = 'processing' AND claimed_at < ?
                ) AS candidates
                ORDER BY received_at LIMIT ?
                """, [.integer(limit), .date(staleBefore), .integer(limit)])
        ) { try $0.string("id") }
        var claims: [InboundClaim] = []
        for id in candidates {
            let token = UUID().uuidString
            // The condition is re-checked in the UPDATE itself, so only one replica wins each row.
            let claimed = try await sql.query(
                SQLStatement(
                    """
                    UPDATE chat_inbound SET status = 'processing', claim_token = ?, claimed_at = ?,
                        attempts = attempts + 1, updated_at = ?
                    WHERE id = ? AND (status = 'pending' OR (status = 'processing' AND claimed_at < ?))
                    RETURNING \(Self.columns)
                    """, [.text(token), .date(now), .date(now), .text(id), .date(staleBefore)]),
                Self.decode)
            if let item = claimed.first {
                claims.append(InboundClaim(item: item, token: token))
            }
        }
        return claims
    }

    public func complete(_ claim: InboundClaim, replies: [OutboxItem], at: Date) async throws -> Bool {
        let markDone = SQLStatement(
            """
            UPDATE chat_inbound SET status = 'done', updated_at = ?, claim_token = NULL
            WHERE id = ? AND claim_token = ? AND status = 'processing'
            """, [.date(at), .text(claim.item.id), .text(claim.token)])
        let inserts = replies.enumerated().map { SQLChatOutboxStore.insertStatement($0.element, position: $0.offset) }
        return try await sql.guardedTransaction(markDone, returning: "id", then: inserts)
    }

    public func fail(_ claim: InboundClaim, error: String, at: Date) async throws {
        try await sql.execute(
            SQLStatement(
                """
                UPDATE chat_inbound SET status = 'failed', last_error = ?, updated_at = ?, claim_token = NULL
                WHERE id = ? AND claim_token = ?
                """, [.text(error), .date(at), .text(claim.item.id), .text(claim.token)]))
    }

    public func purge(now: Date, finishedBefore: Date) async throws -> Int {
        let keys = try await sql.query(
            SQLStatement("DELETE FROM chat_dedupe WHERE expires_at < ? RETURNING key", [.date(now)])
        ) { try $0.string("key") }
        let items = try await sql.query(
            SQLStatement(
                """
                DELETE FROM chat_inbound WHERE status IN ('done', 'failed') AND updated_at < ? AND dedupe_until < ?
                RETURNING id
                """,
                [.date(finishedBefore), .date(now)])
        ) { try $0.string("id") }
        return keys.count + items.count
    }

    public func item(id: String) async throws -> InboundWorkItem? {
        try await sql.query(
            SQLStatement("SELECT \(Self.columns) FROM chat_inbound WHERE id = ?", [.text(id)]), Self.decode
        ).first
    }

    static let columns = """
        id, platform, channel, thread, message, user_id, text, received_at, reply_in_thread, fallback_url, \
        addressed, status, attempts, updated_at
        """

    @Sendable static func decode(_ row: any SQLRowReader) throws -> InboundWorkItem {
        let platformName = try row.string("platform")
        guard let platform = ChatPlatformKind(rawValue: platformName) else {
            throw StorageError.query("unknown chat platform '\(platformName)' in chat_inbound")
        }
        let conversation = ConversationRef(
            platform: platform, channel: try row.string("channel"), thread: try row.optionalString("thread"),
            message: try row.optionalString("message"))
        let question = InboundQuestion(
            dedupeKey: try row.string("id"), text: try row.string("text"), user: try row.string("user_id"),
            conversation: conversation, receivedAt: try row.date("received_at"))
        return InboundWorkItem(
            question: question, replyInThread: try row.bool("reply_in_thread"),
            fallbackURL: try row.optionalString("fallback_url"), addressed: try row.bool("addressed"),
            status: InboundWorkItem.Status(rawValue: try row.string("status")) ?? .failed,
            attempts: try row.int("attempts"), updatedAt: try row.date("updated_at"))
    }
}
