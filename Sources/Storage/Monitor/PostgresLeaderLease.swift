import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ResyncCore

/// Why the lease ended while leading.
public enum LeaderLeaseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dedicated connection stopped answering, so PostgreSQL has released (or will release) the lock.
    case lost(String)

    public var description: String {
        switch self {
        case .lost(let detail):
            "monitor leadership lost: the lease connection failed (\(detail)); another replica may take over"
        }
    }
}

/// Leadership through a PostgreSQL session-level advisory lock (`pg_try_advisory_lock`) held on a dedicated
/// connection for as long as this replica leads. When the process dies or the connection drops, the server
/// ends the session and frees the lock, and the next replica to try takes over.
public struct PostgresLeaderLease: LeaderLease {
    let configuration: PostgresConnection.Configuration
    /// The advisory lock id, derived from the lease name, database and schema (locks are database-wide).
    public let lockKey: Int64
    let heartbeat: Duration
    let connectTimeout: Duration
    let logger: Logger

    /// Nil when the database is not PostgreSQL; throws when TLS cannot be set up.
    public init?(
        location: DatabaseLocation, name: String = "resync-monitor", heartbeat: Duration = .seconds(5),
        connectTimeout: Duration = .seconds(10), logger: Logger
    ) throws {
        guard case .postgres(let postgres) = location else { return nil }
        let tls: PostgresConnection.Configuration.TLS =
            switch postgres.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password,
            database: postgres.database, tls: tls)
        if let schema = postgres.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        self.configuration = configuration
        self.lockKey = Self.lockKey(name: name, database: postgres.database, schema: postgres.schema ?? "public")
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    public func whileLeading(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        let configuration = configuration
        let logger = logger
        let connection = try await withDeadline(connectTimeout) {
            try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        }
        do {
            guard try await tryLock(connection) else {
                try? await connection.close()
                return false
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await work() }
                group.addTask { try await keepAlive(connection) }
                defer { group.cancelAll() }
                _ = try await group.next()
            }
        } catch {
            // Closing the session is what releases a session-level advisory lock, whatever went wrong.
            try? await connection.close()
            throw error
        }
        // Unlocking first makes the release visible to the next replica at once; the server ends the session
        // (and frees the lock anyway) only some time after the close.
        try? await withDeadline(connectTimeout) { try await unlock(connection) }
        try? await connection.close()
        return true
    }

    func unlock(_ connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).collect()
    }

    func tryLock(_ connection: PostgresConnection) async throws -> Bool {
        let key = lockKey
        for try await locked in try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
            .decode(Bool.self)
        {
            return locked
        }
        return false
    }

    /// Checks the session every `heartbeat`; throws when it stops answering, which cancels the work.
    func keepAlive(_ connection: PostgresConnection) async throws {
        let logger = logger
        while true {
            try await Task.sleep(for: heartbeat)
            do {
                try await withDeadline(heartbeat) {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw LeaderLeaseError.lost(String(describing: type(of: error)))
            }
        }
    }

    /// FNV-1a of the lease name and place: stable across processes and releases.
    static func lockKey(name: String, database: String, schema: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(name)|\(database)|\(schema)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
