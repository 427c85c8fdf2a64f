import Foundation
import GRDB
import Logging
import PostgresNIO
import ResyncCore
import Storage
import TestSupport
import Testing

/// The database fails under the stores: SQLite full (a page limit stands in for a full disk), a SQLite file
/// that became read-only, and (when `scripts/reliability` owns the server) a PostgreSQL restart. Each gives
/// a clear error, loses nothing that was acknowledged, and leaves a database that passes its integrity check.
@Suite("Reliability: database faults", .serialized)
struct ReliabilityDatabaseFaultTests {
    static func item(_ index: Int, payloadBytes: Int = 64) -> OutboxItem {
        OutboxItem(
            id: "fault-\(index)", platform: .slack, channel: "C_FAULT",
            payload: String(repeating: "x", count: payloadBytes),
            nextAttemptAt: Date(), createdAt: Date())
    }

    static func integrity(_ writer: any DatabaseWriter) throws -> String {
        try writer.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
    }

    @Test func sqliteFullRefusesWritesClearlyAndLosesNothing() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            guard case .sqlite(let writer) = database.engine else { return }
            let outbox = SQLChatOutboxStore(database: database)
            for index in 0..<20 { try await outbox.enqueue([Self.item(index)]) }
            let pages = try await writer.write { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
            try await writer.write { try $0.execute(sql: "PRAGMA max_page_count = \(pages + 2)") }
            var stored = 20
            var failure: String?
            for index in 20..<400 where failure == nil {
                do {
                    try await outbox.enqueue([Self.item(index, payloadBytes: 8_192)])
                    stored += 1
                } catch {
                    failure = "\(error)"
                }
            }
            let message = try #require(failure, "the page limit never filled the database")
            #expect(message.lowercased().contains("full"), "unclear error: \(message)")
            // Every write that returned is there; the database still reads and checks clean.
            let rows = try await outbox.list(status: nil, limit: 1_000).count
            #expect(rows == stored)
            #expect(try Self.integrity(writer) == "ok")
            // Space comes back: writes work again.
            try await writer.write { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
            try await outbox.enqueue([Self.item(10_000)])
            #expect(try await outbox.list(status: nil, limit: 1_000).count == stored + 1)
            ReliabilityResults.record(
                suite: "database faults", name: "SQLite full (max_page_count)", count: stored + 1,
                passed: rows == stored && message.lowercased().contains("full"),
                figures: "\(stored) writes acknowledged before the limit, all \(rows) present; error: "
                    + "\(message.prefix(90)); integrity_check ok; writes resume once space returns")
        }
    }

    /// `chattr +i` makes the file immutable even for root (tests often run as root, where chmod is no barrier).
    static func setImmutable(_ path: String, _ on: Bool) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [on ? "+i" : "-i", path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func sqliteReadOnlyFileRefusesWritesClearlyAndKeepsItsData() async throws {
        let location = try await TestDatabases.makeLocation(.sqlite)
        guard case .sqlite(let path) = location else { return }
        try await TestDatabases.withDatabase(at: location) { database in
            let outbox = SQLChatOutboxStore(database: database)
            for index in 0..<10 { try await outbox.enqueue([Self.item(index)]) }
            guard case .sqlite(let writer) = database.engine else { return }
            // Everything into the main file, so the read-only file holds all rows.
            _ = try await writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        }
        guard Self.setImmutable(path, true) else {
            ReliabilityResults.record(
                suite: "database faults", name: "SQLite read-only file", count: 0, passed: true,
                figures: "skipped: chattr +i is not available here")
            return
        }
        defer { _ = Self.setImmutable(path, false) }
        // Opening the pool already writes (WAL set-up), so the refusal comes at start-up or at the first write.
        var failure: String?
        do {
            try await TestDatabases.withDatabase(at: location) { database in
                try await SQLChatOutboxStore(database: database).enqueue([Self.item(99)])
            }
        } catch {
            failure = "\(error)"
        }
        let message = try #require(failure, "a write to an immutable SQLite file succeeded")
        #expect(message.lowercased().contains("readonly") || message.lowercased().contains("read-only"), "\(message)")
        _ = Self.setImmutable(path, false)
        let rows = try await TestDatabases.withDatabase(at: location) { database in
            guard case .sqlite(let writer) = database.engine else { return -1 }
            #expect(try Self.integrity(writer) == "ok")
            return try await SQLChatOutboxStore(database: database).list(status: nil, limit: 100).count
        }
        #expect(rows == 10)
        ReliabilityResults.record(
            suite: "database faults", name: "SQLite read-only file (chattr +i)", count: 10,
            passed: rows == 10 && failure != nil,
            figures: "refused: \(message.suffix(120)); "
                + "after the flag is removed \(rows)/10 rows, integrity_check ok")
    }

    static var ownedPostgres: String? {
        ProcessInfo.processInfo.environment["RESYNC_RELIABILITY_OWNED_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Stops or starts the PostgreSQL server that `scripts/reliability` started (never any other), waiting at
    /// most `limit` for the script: a script still running then is killed and counts as a failure.
    static func controlPostgres(_ action: String, directory: String, port: Int, limit: Duration = .seconds(60)) async
        -> Bool
    {
        let process = Process()
        process.executableURL = RepositoryPaths.root.appendingPathComponent("scripts/test-postgres")
        process.arguments = [action, directory, String(port)]
        process.standardOutput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        // Not `waitUntilExit()`: it has no bound, and on Linux it returns only once every holder of a descriptor
        // the child inherited is gone — a server daemon started by the script used to be one, and the run hung.
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning && clock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
        guard !process.isRunning else {
            process.terminate()
            return false
        }
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: ownedPostgres != nil && TestDatabases.postgresURL != nil))
    func postgresRestartMidRunRecoversWithoutLoss() async throws {
        let directory = try #require(Self.ownedPostgres)
        let url = try #require(TestDatabases.postgresURL)
        let port = try #require(URLComponents(string: url)?.port)
        try await TestDatabases.withDatabase(.postgres) { database in
            let outbox = SQLChatOutboxStore(database: database)
            for index in 0..<10 { try await outbox.enqueue([Self.item(index)]) }
            #expect(await Self.controlPostgres("stop", directory: directory, port: port))
            var failure: String?
            let downClock = ContinuousClock()
            let downStarted = downClock.now
            // The store's own bound (AppDatabase.postgresCallTimeout, 10 s) must end the call; the test's
            // deadline is only a backstop so a regression fails instead of hanging the run.
            do { try await withDeadline(.seconds(30)) { try await outbox.enqueue([Self.item(50)]) } } catch {
                failure = "\(error)"
            }
            let refusedAfter = downClock.now - downStarted
            #expect(failure?.contains("PostgreSQL did not answer within") == true, "\(failure ?? "-")")
            #expect(failure != nil, "a write succeeded while PostgreSQL was down")
            #expect(await Self.controlPostgres("start", directory: directory, port: port))
            let clock = ContinuousClock()
            let began = clock.now
            var recovered = false
            var index = 100
            while !recovered && clock.now - began < .seconds(60) {
                do {
                    // A query the pool cannot serve must not hang the run: each attempt is bounded.
                    let attempt = index
                    try await withDeadline(.seconds(5)) { try await outbox.enqueue([Self.item(attempt)]) }
                    recovered = true
                } catch {
                    index += 1
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            let recoveredAfter = clock.now - began
            #expect(recovered)
            let rows = try await outbox.list(status: nil, limit: 1_000).map(\.id)
            // The ten acknowledged writes and the one after the restart; the writes refused while down are absent.
            #expect(rows.filter { $0.hasPrefix("fault-") }.count == 11 + (failure == nil ? 1 : 0))
            #expect((0..<10).allSatisfy { rows.contains("fault-\($0)") })
            ReliabilityResults.record(
                suite: "database faults", name: "PostgreSQL restart mid-run", count: rows.count,
                passed: recovered && failure?.contains("PostgreSQL did not answer within") == true
                    && (0..<10).allSatisfy { rows.contains("fault-\($0)") },
                figures: "write while down refused after \(refusedAfter.milliseconds) ms "
                    + "(\(failure?.prefix(130) ?? "-")); writes again "
                    + "\(recoveredAfter.milliseconds) ms after the restart; 10/10 earlier rows present")
        }
    }

    /// Regression (found by the PostgreSQL restart case): with the server down, a store call waited until it came
    /// back. Now it fails within `postgresCallTimeout` with an error that says so: chat, knowledge, memory and
    /// session stores, migrations at start, and `/readyz`'s ping.
    @Test func storeCallsFailWithinTheirBoundWhilePostgresIsDown() async throws {
        let port = try freeLoopbackPort()
        guard
            case .postgres(let location) = try DatabaseLocation(
                url: "postgres://postgres@127.0.0.1:\(port)/resync_test?sslmode=disable")
        else { return }
        var logger = Logger(label: "test.database")
        logger.logLevel = .critical
        let database = try AppDatabase(location: .postgres(location), logger: logger, postgresCallTimeout: .seconds(1))
        let quiet = logger
        let outcomes = try await withDeadline(.seconds(40)) {
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await database.run() }
                defer { group.cancelAll() }
                var outcomes: [(String, Duration)] = []
                let clock = ContinuousClock()
                let calls = [
                    "enqueue", "due", "ping", "migrate", "knowledge search", "memory record", "memory search",
                    "session find", "credential",
                ]
                for call in calls {
                    let started = clock.now
                    do {
                        let outbox = SQLChatOutboxStore(database: database)
                        let knowledge = SQLKnowledgeStore(database: database, logger: quiet)
                        let memories = SQLMemoryStore(database: database, logger: quiet)
                        let sessions = SQLWebSessionStore(database: database)
                        switch call {
                        case "enqueue": try await outbox.enqueue([Self.item(1)])
                        case "due": _ = try await outbox.due(now: Date(), limit: 10)
                        case "migrate": try await database.migrate()
                        case "knowledge search": _ = try await knowledge.search(KnowledgeQuery(text: "PAYROLL"))
                        case "memory record":
                            try await memories.record(
                                Memory(kind: .knownSolution, jobName: "PAYROLL", text: "rerun", createdAt: Date()))
                        case "memory search":
                            _ = try await memories.knownSolutions(jobName: "PAYROLL", errorSignature: nil, limit: 5)
                        case "session find": _ = try await sessions.find(idHash: "x", now: Date())
                        case "credential": _ = try await sessions.credential(user: "admin")
                        default: try await database.ping()
                        }
                        outcomes.append(("succeeded", clock.now - started))
                    } catch {
                        outcomes.append(("\(error)", clock.now - started))
                    }
                }
                return outcomes
            }
        }
        for (message, elapsed) in outcomes {
            #expect(message.contains("PostgreSQL did not answer within 1 s"), "\(message)")
            #expect(elapsed < .seconds(5), "\(message) after \(elapsed)")
        }
    }
}
