/// One schema change, written for both engines. Migrations run in order, once, each in a transaction.
public struct Migration: Sendable {
    /// Unique, stable identifier; never rename one that has shipped.
    public var id: String
    public var sqlite: String
    public var postgres: String

    public init(id: String, sqlite: String, postgres: String) {
        self.id = id
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// A migration whose SQL is the same in both dialects.
    public init(id: String, sql: String) {
        self.init(id: id, sqlite: sql, postgres: sql)
    }
}

/// The schema, in order. Each concern owns its list in its own file.
public enum Migrations {
    public static var all: [Migration] {
        core + knowledge + memory + chat + monitor + sessions + learning + webChat
    }
}
