extension Migrations {
    /// Tables of the monitor concern: alerts keyed by failure (job id + run id), storm digests, the messages
    /// queued for both, candidate solutions from alert threads, and the poll watermark.
    /// Instants are Unix seconds (REAL / DOUBLE PRECISION) so both engines compare them the same way.
    static let monitor: [Migration] = [
        Migration(
            id: "0700_monitor_alerts",
            sqlite: """
                CREATE TABLE monitor_alerts (
                    id TEXT PRIMARY KEY NOT NULL,
                    job_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    job_name TEXT NOT NULL,
                    job_stream TEXT NOT NULL,
                    workstation TEXT NOT NULL,
                    job_json TEXT NOT NULL,
                    failed_at REAL,
                    detected_at REAL NOT NULL,
                    route TEXT NOT NULL,
                    destinations_json TEXT NOT NULL,
                    status TEXT NOT NULL,
                    quiet_reason TEXT,
                    digest_id TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    posted_at REAL,
                    recovered_at REAL,
                    recovery_rc INTEGER,
                    recovery_rerun INTEGER,
                    closed_reason TEXT,
                    checked_at REAL,
                    UNIQUE (job_id, run_id)
                )
                """,
            postgres: """
                CREATE TABLE monitor_alerts (
                    id TEXT PRIMARY KEY NOT NULL,
                    job_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    job_name TEXT NOT NULL,
                    job_stream TEXT NOT NULL,
                    workstation TEXT NOT NULL,
                    job_json TEXT NOT NULL,
                    failed_at DOUBLE PRECISION,
                    detected_at DOUBLE PRECISION NOT NULL,
                    route TEXT NOT NULL,
                    destinations_json TEXT NOT NULL,
                    status TEXT NOT NULL,
                    quiet_reason TEXT,
                    digest_id TEXT,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    last_error TEXT,
                    posted_at DOUBLE PRECISION,
                    recovered_at DOUBLE PRECISION,
                    recovery_rc BIGINT,
                    recovery_rerun BIGINT,
                    closed_reason TEXT,
                    checked_at DOUBLE PRECISION,
                    UNIQUE (job_id, run_id)
                )
                """),
        Migration(
            id: "0701_monitor_alerts_status", sql: "CREATE INDEX monitor_alerts_status ON monitor_alerts (status)"),
        Migration(
            id: "0702_monitor_alerts_route",
            sql: "CREATE INDEX monitor_alerts_route ON monitor_alerts (route, detected_at)"),
        Migration(
            id: "0703_monitor_digests",
            sqlite: """
                CREATE TABLE monitor_digests (
                    id TEXT PRIMARY KEY NOT NULL,
                    route TEXT NOT NULL,
                    destinations_json TEXT NOT NULL,
                    text TEXT NOT NULL,
                    job_count INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    posted_at REAL
                )
                """,
            postgres: """
                CREATE TABLE monitor_digests (
                    id TEXT PRIMARY KEY NOT NULL,
                    route TEXT NOT NULL,
                    destinations_json TEXT NOT NULL,
                    text TEXT NOT NULL,
                    job_count BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    last_error TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    posted_at DOUBLE PRECISION
                )
                """),
        Migration(
            id: "0704_monitor_messages",
            sqlite: """
                CREATE TABLE monitor_messages (
                    handle TEXT PRIMARY KEY NOT NULL,
                    owner_kind TEXT NOT NULL,
                    owner_id TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    position INTEGER NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE monitor_messages (
                    handle TEXT PRIMARY KEY NOT NULL,
                    owner_kind TEXT NOT NULL,
                    owner_id TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    position BIGINT NOT NULL
                )
                """),
        Migration(
            id: "0705_monitor_messages_owner",
            sql: "CREATE INDEX monitor_messages_owner ON monitor_messages (owner_id)"),
        Migration(
            id: "0706_monitor_candidate_solutions",
            sqlite: """
                CREATE TABLE monitor_candidate_solutions (
                    id TEXT PRIMARY KEY NOT NULL,
                    alert_id TEXT,
                    digest_id TEXT,
                    job_name TEXT,
                    error_signature TEXT,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT,
                    message TEXT,
                    received_at REAL NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE monitor_candidate_solutions (
                    id TEXT PRIMARY KEY NOT NULL,
                    alert_id TEXT,
                    digest_id TEXT,
                    job_name TEXT,
                    error_signature TEXT,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT,
                    message TEXT,
                    received_at DOUBLE PRECISION NOT NULL
                )
                """),
        Migration(
            id: "0707_monitor_state",
            sqlite: "CREATE TABLE monitor_state (name TEXT PRIMARY KEY NOT NULL, value REAL NOT NULL)",
            postgres: "CREATE TABLE monitor_state (name TEXT PRIMARY KEY NOT NULL, value DOUBLE PRECISION NOT NULL)"),
    ]
}
