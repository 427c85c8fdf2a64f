extension Migrations {
    /// Tables of the memory concern: memories (soft-deleted only), per-user feedback, the audit log.
    static let memory: [Migration] = [
        Migration(
            id: "0200_memories",
            sql: """
                CREATE TABLE memories (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    job_base TEXT,
                    error_key TEXT,
                    status TEXT NOT NULL,
                    platform TEXT,
                    search_text TEXT NOT NULL,
                    positive INTEGER NOT NULL DEFAULT 0,
                    negative INTEGER NOT NULL DEFAULT 0,
                    auditor_score DOUBLE PRECISION,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    payload TEXT NOT NULL
                )
                """),
        Migration(id: "0201_memories_job", sql: "CREATE INDEX memories_job ON memories (job_base, kind, status)"),
        Migration(id: "0202_memories_status", sql: "CREATE INDEX memories_status ON memories (status, updated_at)"),
        Migration(
            id: "0203_memory_feedback",
            sql: """
                CREATE TABLE memory_feedback (
                    memory_id TEXT NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL,
                    polarity TEXT NOT NULL,
                    signal TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (memory_id, user_id)
                )
                """),
        Migration(
            id: "0204_memory_audit_log",
            sqlite: """
                CREATE TABLE memory_audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    memory_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT,
                    reason TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE memory_audit_log (
                    id BIGSERIAL PRIMARY KEY,
                    memory_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT,
                    reason TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL
                )
                """),
        Migration(
            id: "0205_memory_audit_log_memory",
            sql: "CREATE INDEX memory_audit_log_memory ON memory_audit_log (memory_id, id)"),
    ]
}
