extension Migrations {
    /// Bookkeeping every instance shares: which Resync build created the database.
    static let core: [Migration] = [
        Migration(
            id: "0001_instance_metadata",
            sql: """
                CREATE TABLE instance_metadata (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                )
                """)
    ]
}
