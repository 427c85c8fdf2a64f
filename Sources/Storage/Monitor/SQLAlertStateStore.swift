import Foundation
import ResyncCore

/// `AlertStateStore` on SQLite or PostgreSQL. A failure key is UNIQUE, and new alerts are inserted with
/// `ON CONFLICT DO NOTHING`, so even two pollers could never record (and post) one failure twice.
public struct SQLAlertStateStore: AlertStateStore {
    let sql: MonitorSQL

    public init(database: AppDatabase) {
        self.sql = MonitorSQL(database: database)
    }

    static let chunkSize = 500
    static let alertColumns = """
        id, job_id, run_id, job_json, failed_at, detected_at, route, destinations_json, status, quiet_reason, \
        digest_id, attempts, last_error, posted_at, recovered_at, recovery_rc, recovery_rerun
        """
    static let digestColumns =
        "id, route, destinations_json, text, job_count, status, attempts, created_at, posted_at"

    public func knownKeys(_ keys: [FailureKey]) async throws -> Set<FailureKey> {
        let jobIDs = Array(Set(keys.map(\.jobID)))
        var known = Set<FailureKey>()
        for start in stride(from: 0, to: jobIDs.count, by: Self.chunkSize) {
            let chunk = Array(jobIDs[start..<min(start + Self.chunkSize, jobIDs.count)])
            let rows = try await sql.query(
                SQLStatement(
                    "SELECT job_id, run_id FROM monitor_alerts WHERE job_id IN \(SQLStatement.placeholders(chunk.count))",
                    chunk.map { SQLValue.text($0) })
            ) { FailureKey(jobID: try $0.string("job_id"), runID: try $0.string("run_id")) }
            known.formUnion(rows)
        }
        return known.intersection(keys)
    }

    public func record(alerts: [AlertRecord], digests: [DigestRecord]) async throws -> Set<String> {
        guard !alerts.isEmpty else { return [] }
        var statements: [SQLStatement] = []
        for digest in digests {
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO monitor_digests (id, route, destinations_json, text, job_count, status, attempts, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?)
                    """,
                    [
                        .text(digest.id), .text(digest.route), .text(try Self.encode(digest.destinations)),
                        .text(digest.text), .integer(digest.jobCount), .text(digest.status.rawValue),
                        .date(digest.createdAt),
                    ]))
        }
        for alert in alerts {
            statements.append(try Self.insertStatement(alert))
            // Only once the new alert exists (it may have lost the race for its key) does it replace older ones.
            statements.append(
                SQLStatement(
                    """
                    UPDATE monitor_alerts SET status = 'superseded'
                    WHERE job_id = ? AND id <> ? AND status IN ('posted', 'muted')
                      AND EXISTS (SELECT 1 FROM monitor_alerts n WHERE n.id = ?)
                    """, [.text(alert.key.jobID), .text(alert.id), .text(alert.id)]))
        }
        for digest in digests {
            statements.append(
                SQLStatement(
                    """
                    DELETE FROM monitor_digests WHERE id = ?
                      AND NOT EXISTS (SELECT 1 FROM monitor_alerts WHERE digest_id = ?)
                    """, [.text(digest.id), .text(digest.id)]))
        }
        let results = try await sql.transaction(statements)
        return Set(results.flatMap { $0 })
    }

    static func insertStatement(_ alert: AlertRecord) throws -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO monitor_alerts (id, job_id, run_id, job_name, job_stream, workstation, job_json, failed_at,
                detected_at, route, destinations_json, status, quiet_reason, digest_id, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
            ON CONFLICT (job_id, run_id) DO NOTHING RETURNING id
            """,
            [
                .text(alert.id), .text(alert.key.jobID), .text(alert.key.runID), .text(alert.job.name),
                .text(alert.job.jobStreamName), .text(alert.job.workstation), .text(try encode(alert.job)),
                .date(alert.failedAt), .date(alert.detectedAt), .text(alert.route),
                .text(try encode(alert.destinations)), .text(alert.status.rawValue), .text(alert.quietReason),
                .text(alert.digestID),
            ], returnsRows: true)
    }

    public func pendingDigests(limit: Int) async throws -> [DigestRecord] {
        try await digests(where: "status = 'pending' ORDER BY created_at, id LIMIT ?", [.integer(limit)])
    }

    public func pendingAlerts(limit: Int) async throws -> [AlertRecord] {
        try await alerts(
            where: "status = 'pending' ORDER BY detected_at, failed_at, job_name LIMIT ?", [.integer(limit)])
    }

    public func digest(id: String) async throws -> DigestRecord? {
        try await digests(where: "id = ?", [.text(id)]).first
    }

    public func alert(id: String) async throws -> AlertRecord? {
        try await alerts(where: "id = ?", [.text(id)]).first
    }

    public func markPosted(_ alerts: [PostedAlert], at: Date) async throws {
        guard !alerts.isEmpty else { return }
        try await sql.transaction(
            alerts.flatMap { posted in
                Self.messageStatements(posted.messages, kind: "alert", owner: posted.alertID) + [
                    SQLStatement(
                        "UPDATE monitor_alerts SET status = 'posted', posted_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'",
                        [.date(at), .text(posted.alertID)])
                ]
            })
    }

    public func markDigestPosted(digestID: String, messages: [AlertMessageRef], at: Date) async throws {
        try await sql.transaction(
            Self.messageStatements(messages, kind: "digest", owner: digestID) + [
                SQLStatement(
                    "UPDATE monitor_digests SET status = 'posted', posted_at = ?, last_error = NULL WHERE id = ?",
                    [.date(at), .text(digestID)])
            ])
    }

    public func recordFailedAttempt(alertID: String?, digestID: String?, error: String, maxAttempts: Int) async throws {
        var statements: [SQLStatement] = []
        for (table, id) in [("monitor_alerts", alertID), ("monitor_digests", digestID)] {
            guard let id else { continue }
            statements.append(
                SQLStatement(
                    """
                    UPDATE \(table) SET attempts = attempts + 1, last_error = ?,
                        status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END
                    WHERE id = ? AND status = 'pending'
                    """, [.text(String(error.prefix(500))), .integer(maxAttempts), .text(id)]))
        }
        try await sql.transaction(statements)
    }

    public func openAlerts(limit: Int) async throws -> [AlertRecord] {
        try await alerts(
            where: "status = 'posted' ORDER BY COALESCE(checked_at, 0), detected_at, id LIMIT ?", [.integer(limit)])
    }

    public func markChecked(alertIDs: [String], at: Date) async throws {
        var statements: [SQLStatement] = []
        for start in stride(from: 0, to: alertIDs.count, by: Self.chunkSize) {
            let chunk = Array(alertIDs[start..<min(start + Self.chunkSize, alertIDs.count)])
            statements.append(
                SQLStatement(
                    "UPDATE monitor_alerts SET checked_at = ? WHERE id IN \(SQLStatement.placeholders(chunk.count))",
                    [SQLValue.date(at)] + chunk.map { SQLValue.text($0) }))
        }
        try await sql.transaction(statements)
    }

    public func markRecovered(alertID: String, recovery: AlertRecovery, replies: [AlertMessageRef]) async throws {
        try await sql.transaction(
            Self.messageStatements(replies, kind: "recovery", owner: alertID) + [
                SQLStatement(
                    """
                    UPDATE monitor_alerts SET status = 'recovered', recovered_at = ?, recovery_rc = ?, recovery_rerun = ?
                    WHERE id = ? AND status = 'posted'
                    """,
                    [.date(recovery.at), .integer(recovery.returnCode), .integer(recovery.rerun), .text(alertID)])
            ])
    }

    public func markUnrouted(alertIDs: [String], reason: String) async throws {
        try await moveAlerts(alertIDs, from: "pending", to: "unrouted", reasonColumn: "quiet_reason", reason: reason)
    }

    public func close(alertIDs: [String], reason: String) async throws {
        try await moveAlerts(alertIDs, from: "posted", to: "closed", reasonColumn: "closed_reason", reason: reason)
    }

    /// Moves the alerts still in `from` to `to` with a reason, in chunks of ids, in one transaction. The statuses
    /// and column are constants of this type, never caller input.
    private func moveAlerts(
        _ alertIDs: [String], from: String, to: String, reasonColumn: String, reason: String
    ) async throws {
        var statements: [SQLStatement] = []
        for start in stride(from: 0, to: alertIDs.count, by: Self.chunkSize) {
            let chunk = Array(alertIDs[start..<min(start + Self.chunkSize, alertIDs.count)])
            statements.append(
                SQLStatement(
                    """
                    UPDATE monitor_alerts SET status = '\(to)', \(reasonColumn) = ?
                    WHERE status = '\(from)' AND id IN \(SQLStatement.placeholders(chunk.count))
                    """, [SQLValue.text(reason)] + chunk.map { SQLValue.text($0) }))
        }
        try await sql.transaction(statements)
    }

    public func alertCount(route: String, since: Date) async throws -> Int {
        try await sql.query(
            SQLStatement(
                """
                SELECT COUNT(*) AS n FROM monitor_alerts
                WHERE route = ? AND detected_at >= ? AND status NOT IN ('muted')
                """, [.text(route), .date(since)])
        ) { try $0.int("n") }.first ?? 0
    }

    public func recentDigest(route: String, since: Date) async throws -> DigestRecord? {
        try await digests(
            where: "route = ? AND created_at >= ? ORDER BY created_at DESC, id LIMIT 1", [.text(route), .date(since)]
        ).first
    }

    public func recentAlerts(limit: Int) async throws -> [AlertRecord] {
        try await alerts(where: "1 = 1 ORDER BY detected_at DESC, job_name LIMIT ?", [.integer(limit)])
    }

    // MARK: Reading

    func alerts(where clause: String, _ arguments: [SQLValue]) async throws -> [AlertRecord] {
        var alerts = try await sql.query(
            SQLStatement("SELECT \(Self.alertColumns) FROM monitor_alerts WHERE \(clause)", arguments),
            Self.decodeAlert)
        let messages = try await self.messages(owners: alerts.map(\.id), kind: "alert")
        for index in alerts.indices { alerts[index].messages = messages[alerts[index].id] ?? [] }
        return alerts
    }

    func digests(where clause: String, _ arguments: [SQLValue]) async throws -> [DigestRecord] {
        var digests = try await sql.query(
            SQLStatement("SELECT \(Self.digestColumns) FROM monitor_digests WHERE \(clause)", arguments),
            Self.decodeDigest)
        let messages = try await self.messages(owners: digests.map(\.id), kind: "digest")
        for index in digests.indices { digests[index].messages = messages[digests[index].id] ?? [] }
        return digests
    }

    static func decodeAlert(_ row: any SQLRowReader) throws -> AlertRecord {
        var recovery: AlertRecovery?
        if let recoveredAt = try row.optionalDate("recovered_at") {
            recovery = AlertRecovery(
                at: recoveredAt, returnCode: try row.optionalInt("recovery_rc"),
                rerun: try row.optionalInt("recovery_rerun"))
        }
        return AlertRecord(
            id: try row.string("id"), key: FailureKey(jobID: try row.string("job_id"), runID: try row.string("run_id")),
            job: try decode(Job.self, try row.string("job_json")), failedAt: try row.optionalDate("failed_at"),
            detectedAt: try row.date("detected_at"), route: try row.string("route"),
            destinations: try decode([AlertDestination].self, try row.string("destinations_json")),
            status: AlertStatus(rawValue: try row.string("status")) ?? .failed,
            quietReason: try row.optionalString("quiet_reason"), digestID: try row.optionalString("digest_id"),
            attempts: try row.int("attempts"), lastError: try row.optionalString("last_error"),
            postedAt: try row.optionalDate("posted_at"), recovery: recovery)
    }

    static func decodeDigest(_ row: any SQLRowReader) throws -> DigestRecord {
        DigestRecord(
            id: try row.string("id"), route: try row.string("route"),
            destinations: try decode([AlertDestination].self, try row.string("destinations_json")),
            text: try row.string("text"), jobCount: try row.int("job_count"),
            status: DigestRecord.Status(rawValue: try row.string("status")) ?? .failed,
            attempts: try row.int("attempts"),
            createdAt: try row.date("created_at"), postedAt: try row.optionalDate("posted_at"))
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
