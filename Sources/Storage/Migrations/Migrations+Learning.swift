extension Migrations {
    /// Tables of the learning concern: operators' replies in Resync's threads, kept so a later ✅ finds them.
    static let learning: [Migration] = [
        Migration(
            id: "1000_learning_thread_replies",
            sqlite: """
                CREATE TABLE learning_thread_replies (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    message TEXT NOT NULL,
                    thread TEXT NOT NULL,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    PRIMARY KEY (platform, channel, message)
                )
                """,
            postgres: """
                CREATE TABLE learning_thread_replies (
                    platform TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    message TEXT NOT NULL,
                    thread TEXT NOT NULL,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (platform, channel, message)
                )
                """),
        Migration(
            id: "1001_learning_thread_replies_received",
            sql: "CREATE INDEX learning_thread_replies_received ON learning_thread_replies (received_at)"),
    ]
}
