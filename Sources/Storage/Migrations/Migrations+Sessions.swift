extension Migrations {
    /// Web login: sessions shared by every replica, and credentials generated at first start in development.
    /// Times are Unix seconds in a BIGINT so both engines store and compare them the same way.
    static let sessions: [Migration] = [
        Migration(
            id: "0900_web_sessions",
            sql: """
                CREATE TABLE web_sessions (
                    id_hash TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """),
        Migration(id: "0901_web_sessions_expiry", sql: "CREATE INDEX web_sessions_expiry ON web_sessions (expires_at)"),
        Migration(
            id: "0902_web_credentials",
            sql: """
                CREATE TABLE web_credentials (
                    user_name TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """),
    ]
}
