import Foundation
import GRDB
import PostgresNIO

/// A logged-in browser session. The cookie carries a random id; only its SHA-256 is stored, so a copy of the
/// table cannot be replayed as cookies.
public struct WebSessionRecord: Hashable, Sendable {
    public var idHash: String
    public var user: String
    public var role: String
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(idHash: String, user: String, role: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.user = user
        self.role = role
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A web login stored in the database (the development admin whose password was generated at first start).
public struct WebCredentialRecord: Hashable, Sendable {
    public var user: String
    /// bcrypt hash; the password itself is never stored.
    public var passwordHash: String
    public var role: String
    public var createdAt: Date

    public init(user: String, passwordHash: String, role: String, createdAt: Date) {
        self.user = user
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
    }
}

/// Sessions and generated credentials on SQLite or PostgreSQL, so several replicas share logins.
public struct SQLWebSessionStore: Sendable {
    let database: AppDatabase
    let bound: PostgresCallBound

    public init(database: AppDatabase) {
        self.database = database
        self.bound = PostgresCallBound(limit: database.postgresCallTimeout)
    }

    public func insert(_ record: WebSessionRecord) async throws {
        let created = Int64(record.createdAt.timeIntervalSince1970)
        let expires = Int64(record.expiresAt.timeIntervalSince1970)
        switch database.engine {
        case .sqlite(let writer):
            try await writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO web_sessions (id_hash, user_name, role, csrf_token, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [record.idHash, record.user, record.role, record.csrfToken, created, expires])
            }
        case .postgres(let client):
            try await bound.run {
                _ = try await client.query(
                    """
                    INSERT INTO web_sessions (id_hash, user_name, role, csrf_token, created_at, expires_at)
                    VALUES (\(record.idHash), \(record.user), \(record.role), \(record.csrfToken), \(created), \(expires))
                    """, logger: database.logger
                ).collect()
            }
        }
    }

    /// The session with this id hash if it has not expired at `now`.
    public func find(idHash: String, now: Date) async throws -> WebSessionRecord? {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        switch database.engine {
        case .sqlite(let writer):
            return try await writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id_hash, user_name, role, csrf_token, created_at, expires_at FROM web_sessions
                        WHERE id_hash = ? AND expires_at > ?
                        """,
                    arguments: [idHash, nowSeconds]
                ).map { row in
                    WebSessionRecord(
                        idHash: row[0], user: row[1], role: row[2], csrfToken: row[3],
                        createdAt: Date(timeIntervalSince1970: Double(row[4] as Int64)),
                        expiresAt: Date(timeIntervalSince1970: Double(row[5] as Int64)))
                }
            }
        case .postgres(let client):
            return try await bound.run {
                let rows = try await client.query(
                    """
                    SELECT id_hash, user_name, role, csrf_token, created_at, expires_at FROM web_sessions
                    WHERE id_hash = \(idHash) AND expires_at > \(nowSeconds)
                    """, logger: database.logger)
                for try await (hash, user, role, csrf, created, expires) in rows.decode(
                    (String, String, String, String, Int64, Int64).self)
                {
                    return WebSessionRecord(
                        idHash: hash, user: user, role: role, csrfToken: csrf,
                        createdAt: Date(timeIntervalSince1970: Double(created)),
                        expiresAt: Date(timeIntervalSince1970: Double(expires)))
                }
                return nil
            }
        }
    }

    public func delete(idHash: String) async throws {
        switch database.engine {
        case .sqlite(let writer):
            try await writer.write { db in
                try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash])
            }
        case .postgres(let client):
            try await bound.run {
                _ = try await client.query(
                    "DELETE FROM web_sessions WHERE id_hash = \(idHash)", logger: database.logger
                )
                .collect()
            }
        }
    }

    /// Removes sessions that expired before `now`; returns how many.
    @discardableResult
    public func deleteExpired(now: Date) async throws -> Int {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        switch database.engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [nowSeconds])
                return db.changesCount
            }
        case .postgres(let client):
            return try await bound.run {
                let rows = try await client.query(
                    "DELETE FROM web_sessions WHERE expires_at <= \(nowSeconds) RETURNING id_hash",
                    logger: database.logger
                ).collect()
                return rows.count
            }
        }
    }

    public func credential(user: String) async throws -> WebCredentialRecord? {
        switch database.engine {
        case .sqlite(let writer):
            return try await writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT user_name, password_hash, role, created_at FROM web_credentials WHERE user_name = ?",
                    arguments: [user]
                ).map { row in
                    WebCredentialRecord(
                        user: row[0], passwordHash: row[1], role: row[2],
                        createdAt: Date(timeIntervalSince1970: Double(row[3] as Int64)))
                }
            }
        case .postgres(let client):
            return try await bound.run {
                let rows = try await client.query(
                    "SELECT user_name, password_hash, role, created_at FROM web_credentials WHERE user_name = \(user)",
                    logger: database.logger)
                for try await (name, hash, role, created) in rows.decode((String, String, String, Int64).self) {
                    return WebCredentialRecord(
                        user: name, passwordHash: hash, role: role,
                        createdAt: Date(timeIntervalSince1970: Double(created)))
                }
                return nil
            }
        }
    }

    /// Stores `credential` unless one exists for that user; true when this call stored it (so exactly one replica
    /// starting at the same time wins and prints the generated password).
    public func insertCredentialIfAbsent(_ credential: WebCredentialRecord) async throws -> Bool {
        let created = Int64(credential.createdAt.timeIntervalSince1970)
        switch database.engine {
        case .sqlite(let writer):
            return try await writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO web_credentials (user_name, password_hash, role, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_name) DO NOTHING
                        """,
                    arguments: [credential.user, credential.passwordHash, credential.role, created])
                return db.changesCount == 1
            }
        case .postgres(let client):
            return try await bound.run {
                let rows = try await client.query(
                    """
                    INSERT INTO web_credentials (user_name, password_hash, role, created_at)
                    VALUES (\(credential.user), \(credential.passwordHash), \(credential.role), \(created))
                    ON CONFLICT (user_name) DO NOTHING RETURNING user_name
                    """, logger: database.logger
                ).collect()
                return rows.count == 1
            }
        }
    }
}
