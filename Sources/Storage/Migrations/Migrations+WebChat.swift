extension Migrations {
    /// The answers `POST /api/ask` gave, so that a web chat vote is accepted only for one of them. Votes themselves
    /// go to `chat_feedback` with the chat platforms'.
    static let webChat: [Migration] = [
        Migration(
            id: "1100_web_answers",
            sqlite: """
                CREATE TABLE web_answers (
                    answer_id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL,
                    job_name TEXT,
                    at REAL NOT NULL
                )
                """,
            postgres: """
                CREATE TABLE web_answers (
                    answer_id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL,
                    job_name TEXT,
                    at DOUBLE PRECISION NOT NULL
                )
                """),
        // Forgetting old answers reads the oldest few entries instead of every row.
        Migration(id: "1101_web_answers_age", sql: "CREATE INDEX web_answers_age ON web_answers (at)"),
    ]
}
