import Foundation
import Hummingbird
import ResyncCore
import Storage
import Synchronization
import TestSupport
import Testing
import Web

@Suite("Web sessions in the database")
struct WebSessionStoreTests {
    @Test(arguments: TestEngine.available)
    func sessionsRoundTripExpireAndDelete(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLWebSessionStore(database: database)
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let live = WebSessionRecord(
                idHash: "h-live", user: "ana", role: "admin", csrfToken: "csrf-1", createdAt: now,
                expiresAt: now.addingTimeInterval(3600))
            let old = WebSessionRecord(
                idHash: "h-old", user: "bia", role: "viewer", csrfToken: "csrf-2",
                createdAt: now.addingTimeInterval(-7200),
                expiresAt: now.addingTimeInterval(-10))
            try await store.insert(live)
            try await store.insert(old)
            #expect(try await store.find(idHash: "h-live", now: now) == live)
            #expect(try await store.find(idHash: "h-old", now: now) == nil, "expired sessions are not found")
            #expect(try await store.find(idHash: "h-nope", now: now) == nil)
            #expect(try await store.deleteExpired(now: now) == 1)
            try await store.delete(idHash: "h-live")
            #expect(try await store.find(idHash: "h-live", now: now) == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func credentialIsStoredOnlyOnce(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = SQLWebSessionStore(database: database)
            let first = WebCredentialRecord(
                user: "admin", passwordHash: "$2b$first", role: "admin",
                createdAt: Date(timeIntervalSince1970: 1_790_000_000))
            var second = first
            second.passwordHash = "$2b$second"
            let firstStored = try await store.insertCredentialIfAbsent(first)
            let secondStored = try await store.insertCredentialIfAbsent(second)
            #expect(firstStored)
            #expect(secondStored == false)
            #expect(try await store.credential(user: "admin")?.passwordHash == "$2b$first")
            #expect(try await store.credential(user: "ghost") == nil)
        }
    }

    /// Two replicas on one database: a session opened on one is honoured by the other, and logout on either ends it.
    @Test(arguments: TestEngine.available)
    func replicasShareSessions(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let configuration = WebAuthConfiguration(
                users: [WebCredential(user: "admin", passwordHash: Secret(WebHarness.adminHash), role: .admin)],
                generatedAdminUser: nil, secureCookies: true, bcryptCost: 4)
            let logger = TestLogging.quiet("test.sessions")
            let first = WebAuth(configuration: configuration, database: database, logger: logger)
            let second = WebAuth(configuration: configuration, database: database, logger: logger)
            guard
                case .success(let identity, let cookie) = try await first.login(
                    user: "admin", password: WebHarness.adminPassword, address: "10.0.0.7")
            else {
                Issue.record("login failed")
                return
            }
            #expect(cookie.secure)
            #expect(cookie.httpOnly)
            #expect(cookie.sameSite == .strict)
            #expect(try await second.identity(sessionID: cookie.value) == identity)
            _ = try await second.logout(identity)
            #expect(try await first.identity(sessionID: cookie.value) == nil)
        }
    }

    /// Development without a configured hash: a password is generated, printed once, and only its hash is kept.
    @Test(arguments: TestEngine.available)
    func developmentPasswordIsGeneratedAndAnnouncedOnce(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let configuration = WebAuthConfiguration(
                users: [], generatedAdminUser: "admin", secureCookies: false, bcryptCost: 4)
            let logger = TestLogging.quiet("test.sessions")
            let announced = Mutex<[String]>([])
            let firstStart = WebAuth(configuration: configuration, database: database, logger: logger)
            try await firstStart.prepare { line in announced.withLock { $0.append(line) } }
            let secondStart = WebAuth(configuration: configuration, database: database, logger: logger)
            try await secondStart.prepare { line in announced.withLock { $0.append(line) } }
            let lines = announced.withLock { $0 }
            #expect(lines.count == 1)
            let password = try #require(
                lines.first.flatMap { line in
                    line.range(of: "password '").map { String(line[$0.upperBound...].prefix { $0 != "'" }) }
                })
            #expect(password.count >= 16)
            let stored = try await SQLWebSessionStore(database: database).credential(user: "admin")
            #expect(stored?.passwordHash.hasPrefix("$2") == true)
            #expect(stored?.passwordHash.contains(password) == false)
            guard case .success = try await secondStart.login(user: "admin", password: password, address: nil) else {
                Issue.record("the announced password does not log in after a restart")
                return
            }
        }
    }
}
