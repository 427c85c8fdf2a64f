import Foundation
import ResyncCore

extension SQLAlertStateStore {
    /// Inserts message references; a handle already stored (a retried publish) is kept as is.
    static func messageStatements(_ messages: [AlertMessageRef], kind: String, owner: String) -> [SQLStatement] {
        messages.enumerated().map { position, message in
            SQLStatement(
                """
                INSERT INTO monitor_messages (handle, owner_kind, owner_id, platform, channel, position)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (handle) DO NOTHING
                """,
                [
                    .text(message.handle), .text(kind), .text(owner), .text(message.destination.platform.rawValue),
                    .text(message.destination.channel), .integer(position),
                ])
        }
    }

    /// Message references per owner id.
    func messages(owners: [String], kind: String) async throws -> [String: [AlertMessageRef]] {
        var result: [String: [AlertMessageRef]] = [:]
        for start in stride(from: 0, to: owners.count, by: Self.chunkSize) {
            let chunk = Array(owners[start..<min(start + Self.chunkSize, owners.count)])
            let rows = try await sql.query(
                SQLStatement(
                    """
                    SELECT handle, owner_id, platform, channel FROM monitor_messages
                    WHERE owner_kind = ? AND owner_id IN \(SQLStatement.placeholders(chunk.count))
                    ORDER BY owner_id, position
                    """, [SQLValue.text(kind)] + chunk.map { SQLValue.text($0) })
            ) { row -> (String, AlertMessageRef) in
                let platform = ChatPlatformKind(rawValue: try row.string("platform")) ?? .slack
                return (
                    try row.string("owner_id"),
                    AlertMessageRef(
                        destination: AlertDestination(platform: platform, channel: try row.string("channel")),
                        handle: try row.string("handle"))
                )
            }
            for (owner, message) in rows { result[owner, default: []].append(message) }
        }
        return result
    }

    public func threadOwner(handle: String) async throws -> AlertThreadOwner? {
        let owners = try await sql.query(
            SQLStatement("SELECT owner_kind, owner_id FROM monitor_messages WHERE handle = ?", [.text(handle)])
        ) { (try $0.string("owner_kind"), try $0.string("owner_id")) }
        guard let owner = owners.first else { return nil }
        let (kind, id) = owner
        if kind == "digest" { return try await digest(id: id).map(AlertThreadOwner.digest) }
        return try await alert(id: id).map(AlertThreadOwner.alert)
    }

    public func addCandidateSolution(_ candidate: CandidateSolution) async throws {
        try await sql.transaction([
            SQLStatement(
                """
                INSERT INTO monitor_candidate_solutions (id, alert_id, digest_id, job_name, error_signature, author, text,
                    platform, channel, thread, message, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """,
                [
                    .text(candidate.id), .text(candidate.alertID), .text(candidate.digestID), .text(candidate.jobName),
                    .text(candidate.errorSignature), .text(candidate.author), .text(candidate.text),
                    .text(candidate.conversation.platform.rawValue), .text(candidate.conversation.channel),
                    .text(candidate.conversation.thread), .text(candidate.conversation.message),
                    .date(candidate.receivedAt),
                ])
        ])
    }

    public func candidateSolutions(jobName: String?, limit: Int) async throws -> [CandidateSolution] {
        let filter = jobName == nil ? "1 = 1" : "job_name = ?"
        let arguments: [SQLValue] = (jobName.map { [.text($0)] } ?? []) + [.integer(limit)]
        return try await sql.query(
            SQLStatement(
                """
                SELECT id, alert_id, digest_id, job_name, error_signature, author, text, platform, channel, thread, message,
                    received_at
                FROM monitor_candidate_solutions WHERE \(filter) ORDER BY received_at DESC, id LIMIT ?
                """, arguments)
        ) { row in
            CandidateSolution(
                id: try row.string("id"), alertID: try row.optionalString("alert_id"),
                digestID: try row.optionalString("digest_id"), jobName: try row.optionalString("job_name"),
                errorSignature: try row.optionalString("error_signature"), author: try row.string("author"),
                text: try row.string("text"),
                conversation: ConversationRef(
                    platform: ChatPlatformKind(rawValue: try row.string("platform")) ?? .slack,
                    channel: try row.string("channel"), thread: try row.optionalString("thread"),
                    message: try row.optionalString("message")),
                receivedAt: try row.date("received_at"))
        }
    }

    public func watermark() async throws -> Date? {
        try await sql.query(SQLStatement("SELECT value FROM monitor_state WHERE name = 'watermark'")) {
            try $0.date("value")
        }.first
    }

    public func setWatermark(_ date: Date) async throws {
        try await sql.transaction([
            SQLStatement(
                """
                INSERT INTO monitor_state (name, value) VALUES ('watermark', ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """, [.date(date)])
        ])
    }
}
