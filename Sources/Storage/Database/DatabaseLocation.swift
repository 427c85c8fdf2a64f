import Foundation

/// Where the database lives, parsed from `DATABASE_URL`.
public enum DatabaseLocation: Hashable, Sendable {
    /// An embedded SQLite file (`sqlite://./data/resync.sqlite`, `sqlite:///var/lib/resync.sqlite`).
    case sqlite(path: String)
    /// An in-memory SQLite database (`sqlite::memory:`), for tests and throwaway runs.
    case sqliteInMemory
    /// A PostgreSQL server (`postgres://user:pass@host:5432/db?sslmode=require`).
    case postgres(PostgresLocation)

    public struct PostgresLocation: Hashable, Sendable {
        public enum TLSMode: String, Hashable, Sendable { case disable, prefer, require }

        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String
        public var tls: TLSMode
        /// Schema to use instead of `public` (`?schema=NAME`), so several instances or tests can share a database.
        public var schema: String?
    }

    public enum ParseError: Error, CustomStringConvertible, Hashable, Sendable {
        case unsupportedScheme(String)
        case missingPath
        case missingHost
        case missingUser
        case badPort
        case badSSLMode(String)
        case badSchema

        public var description: String {
            switch self {
            case .unsupportedScheme(let scheme):
                "unsupported scheme '\(scheme)'; use sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB"
            case .missingPath: "a sqlite URL needs a file path, e.g. sqlite://./data/resync.sqlite"
            case .missingHost: "a postgres URL needs a host, e.g. postgres://resync:secret@db:5432/resync"
            case .missingUser: "a postgres URL needs a user name before the host"
            case .badPort: "the port is not a number between 1 and 65535"
            case .badSSLMode(let mode): "sslmode '\(mode)' is not one of disable, prefer, require"
            case .badSchema: "schema must be letters, digits and underscores"
            }
        }
    }

    /// Parses `DATABASE_URL`. Errors never echo the URL, which may carry a password.
    public init(url raw: String) throws(ParseError) {
        if raw == "sqlite::memory:" || raw == "sqlite://:memory:" {
            self = .sqliteInMemory
            return
        }
        if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .missingPath }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased() else {
            throw .unsupportedScheme("?")
        }
        guard scheme == "postgres" || scheme == "postgresql" else { throw .unsupportedScheme(scheme) }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        guard let user = components.user, !user.isEmpty else { throw .missingUser }
        if let port = components.port, !(1...65_535).contains(port) { throw .badPort }
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard let tls = PostgresLocation.TLSMode(rawValue: sslMode) else { throw .badSSLMode(sslMode) }
        let database = String(components.path.drop { $0 == "/" })
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        if let schema, schema.isEmpty || !schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        {
            throw .badSchema
        }
        self = .postgres(
            PostgresLocation(
                host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
                password: components.password.map { $0.removingPercentEncoding ?? $0 },
                database: database.isEmpty ? user : database, tls: tls, schema: schema))
    }

    /// The location without its password, for logs and `config show`.
    public var redactedDescription: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .sqliteInMemory: "sqlite::memory:"
        case .postgres(let location):
            "postgres://\(location.user):****@\(location.host):\(location.port)/\(location.database)"
                + "?sslmode=\(location.tls.rawValue)" + (location.schema.map { "&schema=\($0)" } ?? "")
        }
    }
}
