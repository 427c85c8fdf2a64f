extension Migrations {
    /// Tables of the chat concern: dedupe keys, the inbound queue, the outbox, thread memory, feedback.
    /// Instants are Unix seconds (REAL / DOUBLE PRECISION) so both engines compare them the same way.
    static let chat: [Migration] = [
        Migration(
            id: "0600_chat_dedupe",
            sqlite: """
                CREATE TABLE chat_dedupe (
                    key TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    expires_at REAL NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE chat_dedupe (
                    key TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL
                )
                """),
        Migration(
            id: "0601_chat_inbound",
            sqlite: """
                CREATE TABLE chat_inbound (
                    id TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT,
                    message TEXT,
                    user_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    reply_in_thread INTEGER NOT NULL,
                    fallback_url TEXT,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    claim_token TEXT,
                    claimed_at REAL,
                    updated_at REAL NOT NULL,
                    last_error TEXT
                )
                """,
            postgres: """
                CREATE TABLE chat_inbound (
                    id TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT,
                    message TEXT,
                    user_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL,
                    reply_in_thread BIGINT NOT NULL,
                    fallback_url TEXT,
                    status TEXT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    claim_token TEXT,
                    claimed_at DOUBLE PRECISION,
                    updated_at DOUBLE PRECISION NOT NULL,
                    last_error TEXT
                )
                """),
        Migration(id: "0602_chat_inbound_status", sql: "CREATE INDEX chat_inbound_status ON chat_inbound (status)"),
        Migration(
            id: "0603_chat_outbox",
            sqlite: """
                CREATE TABLE chat_outbox (
                    id TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread_id TEXT,
                    depends_on TEXT,
                    thread_on_dependency INTEGER NOT NULL,
                    operation TEXT NOT NULL,
                    target_message_id TEXT,
                    payload TEXT NOT NULL,
                    fallback_url TEXT,
                    answer_id TEXT,
                    job_name TEXT,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    claimed_at REAL,
                    platform_message_id TEXT,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    position INTEGER NOT NULL,
                    sent_at REAL
                )
                """,
            postgres: """
                CREATE TABLE chat_outbox (
                    id TEXT PRIMARY KEY NOT NULL,
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread_id TEXT,
                    depends_on TEXT,
                    thread_on_dependency BIGINT NOT NULL,
                    operation TEXT NOT NULL,
                    target_message_id TEXT,
                    payload TEXT NOT NULL,
                    fallback_url TEXT,
                    answer_id TEXT,
                    job_name TEXT,
                    status TEXT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    next_attempt_at DOUBLE PRECISION NOT NULL,
                    claimed_at DOUBLE PRECISION,
                    platform_message_id TEXT,
                    last_error TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    position BIGINT NOT NULL,
                    sent_at DOUBLE PRECISION
                )
                """),
        Migration(
            id: "0604_chat_outbox_due",
            sql: "CREATE INDEX chat_outbox_due ON chat_outbox (status, next_attempt_at)"),
        Migration(
            id: "0605_chat_outbox_message",
            sql: "CREATE INDEX chat_outbox_message ON chat_outbox (platform, channel, platform_message_id)"),
        Migration(
            id: "0606_chat_thread_context",
            sqlite: """
                CREATE TABLE chat_thread_context (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT NOT NULL,
                    job_name TEXT,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (platform, channel, thread)
                )
                """,
            postgres: """
                CREATE TABLE chat_thread_context (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    thread TEXT NOT NULL,
                    job_name TEXT,
                    updated_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (platform, channel, thread)
                )
                """),
        Migration(
            id: "0607_chat_feedback",
            sqlite: """
                CREATE TABLE chat_feedback (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    signal TEXT NOT NULL,
                    polarity TEXT NOT NULL,
                    added INTEGER NOT NULL,
                    thread TEXT,
                    outbox_id TEXT NOT NULL,
                    answer_id TEXT,
                    job_name TEXT,
                    at REAL NOT NULL,
                    PRIMARY KEY (platform, channel, message_id, user_id, signal)
                )
                """,
            postgres: """
                CREATE TABLE chat_feedback (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    signal TEXT NOT NULL,
                    polarity TEXT NOT NULL,
                    added BIGINT NOT NULL,
                    thread TEXT,
                    outbox_id TEXT NOT NULL,
                    answer_id TEXT,
                    job_name TEXT,
                    at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (platform, channel, message_id, user_id, signal)
                )
                """),
        Migration(
            id: "0608_chat_feedback_answer", sql: "CREATE INDEX chat_feedback_answer ON chat_feedback (answer_id)"),
        // The queue in arrival order, so that claiming the oldest pending questions reads a few index entries
        // instead of sorting every pending row (a backlog of 30,000 made each claim cost milliseconds).
        Migration(
            id: "0609_chat_inbound_queue",
            sql: "CREATE INDEX chat_inbound_queue ON chat_inbound (status, received_at)"),
        Migration(id: "0610_chat_inbound_status_drop", sql: "DROP INDEX chat_inbound_status"),
        // The outbox in sending order, so that finding the due items reads a few index entries instead of
        // sorting every pending one (a channel paced at 1 message/s with 3,000 answers waiting made each round
        // cost about 10 ms, and the worker runs a round whenever an answer is queued).
        Migration(
            id: "0611_chat_outbox_queue",
            sql: "CREATE INDEX chat_outbox_queue ON chat_outbox (status, created_at, position)"),
        // Failing the continuations of a failed first part probes this index per failed item instead of reading
        // every pending item.
        Migration(
            id: "0612_chat_outbox_dependents",
            sql: "CREATE INDEX chat_outbox_dependents ON chat_outbox (status, depends_on)"),
        Migration(id: "0613_chat_outbox_due_drop", sql: "DROP INDEX chat_outbox_due"),
        // Each channel's queue: the worker skips from channel to channel and reads each one's oldest item, so a
        // channel with thousands of answers waiting for its pacing neither slows nor holds back the others.
        Migration(
            id: "0614_chat_outbox_channel_queue",
            sql: """
                CREATE INDEX chat_outbox_channel_queue ON chat_outbox (status, platform, channel, created_at, position)
                """),
        // When each channel may next be sent to, shared by every replica (one row per channel ever paced).
        Migration(
            id: "0615_chat_channel_pacing",
            sqlite: """
                CREATE TABLE chat_channel_pacing (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    next_at REAL NOT NULL,
                    PRIMARY KEY (platform, channel)
                )
                """,
            postgres: """
                CREATE TABLE chat_channel_pacing (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    next_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (platform, channel)
                )
                """),
        // A question's queue row is its own dedupe record (its primary key is the delivery's key): the row is
        // kept until its dedupe window ends, so accepting a question writes one row instead of two. Rows from
        // before keep their keys in chat_dedupe until those expire.
        Migration(
            id: "0616_chat_inbound_dedupe_until",
            sqlite: "ALTER TABLE chat_inbound ADD COLUMN dedupe_until REAL NOT NULL DEFAULT 0",
            postgres: "ALTER TABLE chat_inbound ADD COLUMN dedupe_until DOUBLE PRECISION NOT NULL DEFAULT 0"),
        // 0 for a thread reply that did not mention Resync: answered only if it reads as a question. Rows from
        // before were all answered as addressed.
        Migration(
            id: "0617_chat_inbound_addressed",
            sqlite: "ALTER TABLE chat_inbound ADD COLUMN addressed INTEGER NOT NULL DEFAULT 1",
            postgres: "ALTER TABLE chat_inbound ADD COLUMN addressed BIGINT NOT NULL DEFAULT 1"),
    ]
}
