extension Migrations {
    /// Tables of the knowledge concern. PostgreSQL takes one statement per migration (extended protocol),
    /// so each statement is its own migration on both engines.
    static let knowledge: [Migration] = [
        Migration(
            id: "0100_knowledge_entries",
            sqlite: """
                CREATE TABLE knowledge_entries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    job_base TEXT,
                    job_qualified TEXT,
                    job_pattern TEXT,
                    job_stream TEXT,
                    workstation TEXT,
                    has_wildcard INTEGER NOT NULL DEFAULT 0,
                    content_hash TEXT NOT NULL,
                    embedding_hash TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    search_text TEXT NOT NULL,
                    embedding BLOB,
                    embedding_model TEXT,
                    updated_at REAL NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE knowledge_entries (
                    id BIGSERIAL PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    job_base TEXT,
                    job_qualified TEXT,
                    job_pattern TEXT,
                    job_stream TEXT,
                    workstation TEXT,
                    has_wildcard BOOLEAN NOT NULL DEFAULT FALSE,
                    content_hash TEXT NOT NULL,
                    embedding_hash TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    search_text TEXT NOT NULL,
                    search_vector TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
                    embedding REAL[],
                    embedding_model TEXT,
                    updated_at DOUBLE PRECISION NOT NULL
                )
                """),
        Migration(
            id: "0101_knowledge_job_base",
            sql: "CREATE INDEX knowledge_entries_job_base ON knowledge_entries (job_base)"),
        Migration(
            id: "0102_knowledge_job_stream",
            sql: "CREATE INDEX knowledge_entries_job_stream ON knowledge_entries (job_stream)"),
        Migration(
            id: "0103_knowledge_workstation",
            sql: "CREATE INDEX knowledge_entries_workstation ON knowledge_entries (workstation)"),
        Migration(
            id: "0104_knowledge_wildcards",
            sqlite:
                "CREATE INDEX knowledge_entries_wildcards ON knowledge_entries (has_wildcard) WHERE has_wildcard = 1",
            postgres: "CREATE INDEX knowledge_entries_wildcards ON knowledge_entries (has_wildcard) WHERE has_wildcard"),
        Migration(
            id: "0105_knowledge_error_codes",
            sql: """
                CREATE TABLE knowledge_error_codes (
                    code TEXT NOT NULL,
                    entry_key TEXT NOT NULL REFERENCES knowledge_entries (key) ON DELETE CASCADE,
                    PRIMARY KEY (code, entry_key)
                )
                """),
        Migration(
            id: "0106_knowledge_error_codes_key",
            sql: "CREATE INDEX knowledge_error_codes_entry ON knowledge_error_codes (entry_key)"),
        Migration(
            id: "0107_knowledge_fulltext",
            // SQLite: FTS5 over the pre-folded text, row ids shared with knowledge_entries.id.
            sqlite: "CREATE VIRTUAL TABLE knowledge_fts USING fts5(search_text, tokenize = 'unicode61')",
            postgres: "CREATE INDEX knowledge_entries_search ON knowledge_entries USING GIN (search_vector)"),
        Migration(
            id: "0108_knowledge_meta",
            sqlite: """
                CREATE TABLE knowledge_meta (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    generation INTEGER NOT NULL,
                    last_import REAL,
                    last_import_errors INTEGER NOT NULL DEFAULT 0
                )
                """,
            postgres: """
                CREATE TABLE knowledge_meta (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    generation BIGINT NOT NULL,
                    last_import DOUBLE PRECISION,
                    last_import_errors INTEGER NOT NULL DEFAULT 0
                )
                """),
        Migration(
            id: "0109_knowledge_meta_row",
            sql: "INSERT INTO knowledge_meta (id, generation, last_import_errors) VALUES (1, 0, 0)"),
        // The full-text index's document frequency per term, to leave out of searches the terms nearly every
        // entry contains. PostgreSQL reads the same from `ts_stat` and needs no object for it.
        Migration(
            id: "0110_knowledge_fts_vocabulary",
            sqlite: "CREATE VIRTUAL TABLE knowledge_fts_vocab USING fts5vocab(knowledge_fts, 'row')",
            postgres: "SELECT 1"),
        // The look-ups by job, job stream and workstation read only the index: at 100,000 entries a job stream
        // of 200 entries otherwise costs 200 reads of wide table rows (payload and text live there). One
        // statement per migration: PostgreSQL prepares each migration as one statement.
        Migration(
            id: "0111_knowledge_job_base_covering",
            sql: "CREATE INDEX knowledge_entries_job_base_key ON knowledge_entries (job_base, key, job_qualified)"),
        Migration(
            id: "0112_knowledge_job_stream_covering",
            sql: "CREATE INDEX knowledge_entries_job_stream_key ON knowledge_entries (job_stream, key)"),
        Migration(
            id: "0113_knowledge_workstation_covering",
            sql: "CREATE INDEX knowledge_entries_workstation_key ON knowledge_entries (workstation, key)"),
        Migration(id: "0114_knowledge_job_base_drop", sql: "DROP INDEX knowledge_entries_job_base"),
        Migration(id: "0115_knowledge_job_stream_drop", sql: "DROP INDEX knowledge_entries_job_stream"),
        Migration(id: "0116_knowledge_workstation_drop", sql: "DROP INDEX knowledge_entries_workstation"),
    ]
}
