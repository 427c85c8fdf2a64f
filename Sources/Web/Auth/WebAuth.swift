import Dispatch
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import ResyncCore
import Storage
import Synchronization

/// Login, sessions and logout for the web UI. Sessions live in the database so replicas share them.
public final class WebAuth: Sendable {
    public enum LoginOutcome: Sendable {
        case success(identity: WebIdentity, cookie: Cookie)
        case invalidCredentials
        case throttled(retryAfterSeconds: Int)
    }

    public static let sessionCookieName = "resync_session"
    public static let loginCSRFCookieName = "resync_login_csrf"

    public let configuration: WebAuthConfiguration
    public let throttle: LoginThrottle
    let store: SQLWebSessionStore
    let time: any TimeSource
    let logger: Logger
    private let users: Mutex<[String: WebCredential]>
    /// bcrypt checks running now; capped so a flood of logins for many names cannot take every core.
    private let verifications = Mutex(0)
    private let maximumConcurrentVerifications = max(2, ProcessInfo.processInfo.activeProcessorCount)
    /// Hash checked when the user does not exist, so a wrong name costs as long as a wrong password.
    private let decoyHash: String

    public init(
        configuration: WebAuthConfiguration, database: AppDatabase, time: any TimeSource = SystemTimeSource(),
        throttle: LoginThrottle = LoginThrottle(), logger: Logger
    ) {
        self.configuration = configuration
        self.throttle = throttle
        self.store = SQLWebSessionStore(database: database)
        self.time = time
        self.logger = logger
        self.users = Mutex(
            Dictionary(configuration.users.map { ($0.user, $0) }, uniquingKeysWith: { first, _ in first }))
        self.decoyHash = Bcrypt.hash(Tokens.random(), cost: configuration.bcryptCost)
    }

    /// Run once the database is migrated. In development without a configured hash, generates the admin's password
    /// the first time (stores only its bcrypt hash) and hands it to `announce` exactly once across restarts.
    public func prepare(announce: @Sendable (String) -> Void = WebAuth.printUnbuffered) async throws {
        guard let user = configuration.generatedAdminUser else { return }
        if let stored = try await store.credential(user: user) {
            remember(WebCredential(user: stored.user, passwordHash: Secret(stored.passwordHash), role: .admin))
            return
        }
        let password = Tokens.password()
        let hash = await Self.offload { Bcrypt.hash(password, cost: self.configuration.bcryptCost) }
        let record = WebCredentialRecord(
            user: user, passwordHash: hash, role: WebRole.admin.rawValue, createdAt: time.now())
        if try await store.insertCredentialIfAbsent(record) {
            remember(WebCredential(user: user, passwordHash: Secret(hash), role: .admin))
            announce(
                """
                Resync web login (development): user '\(user)', password '\(password)'.
                It is shown only this once; set RESYNC_ADMIN_PASSWORD_HASH to choose your own.
                """)
        } else if let stored = try await store.credential(user: user) {
            // Another replica generated it at the same moment; use theirs.
            remember(WebCredential(user: stored.user, passwordHash: Secret(stored.passwordHash), role: .admin))
        }
    }

    /// A bcrypt hash of `password`, as `RESYNC_ADMIN_PASSWORD_HASH` expects (cost 4 is only for tests).
    public static func hashPassword(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Where to go after login: only local absolute paths; `//evil.example`, `https://…` or `/\evil` become `/`,
    /// so the login page cannot be used as an open redirect.
    public static func safeRedirectTarget(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count <= 512,
            !raw.contains(where: { $0.isNewline })
        else { return "/" }
        return raw
    }

    /// Standard output without stdio's buffering: under a container runtime stdout is a pipe, and a buffered line
    /// would only appear when the process exits.
    public static func printUnbuffered(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Checks a password, with throttling per user and address; on success opens a session.
    public func login(user: String, password: String, address: String?) async throws -> LoginOutcome {
        let now = time.now()
        let key = LoginThrottle.key(user: user, address: address)
        if let wait = await throttle.retryAfter(key, now: now) {
            return .throttled(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
        let admitted = verifications.withLock { running -> Bool in
            guard running < maximumConcurrentVerifications else { return false }
            running += 1
            return true
        }
        guard admitted else { return .throttled(retryAfterSeconds: 1) }
        defer { verifications.withLock { $0 -= 1 } }
        let credential = users.withLock { $0[user] }
        let hash = credential?.passwordHash.value ?? decoyHash
        let matches = await Self.offload { Bcrypt.verify(password, hash: hash) }
        guard matches, let credential else {
            await throttle.recordFailure(key, now: now)
            logger.notice("web login refused", metadata: ["user": "\(user.prefix(64))"])
            return .invalidCredentials
        }
        await throttle.recordSuccess(key)
        let sessionID = Tokens.random()
        let identity = WebIdentity(
            user: credential.user, role: credential.role, csrfToken: Tokens.random(),
            sessionKey: Tokens.sha256(sessionID))
        let expires = now.addingTimeInterval(TimeInterval(configuration.sessionLifetime.components.seconds))
        try await store.insert(
            WebSessionRecord(
                idHash: identity.sessionKey, user: identity.user, role: identity.role.rawValue,
                csrfToken: identity.csrfToken, createdAt: now, expiresAt: expires))
        logger.info("web login", metadata: ["user": "\(credential.user)", "role": "\(credential.role.rawValue)"])
        return .success(
            identity: identity, cookie: sessionCookie(value: sessionID, maxAge: configuration.sessionLifetime))
    }

    /// The identity of a session cookie value, or nil when unknown or expired.
    public func identity(sessionID: String) async throws -> WebIdentity? {
        guard !sessionID.isEmpty, sessionID.count <= 128 else { return nil }
        guard let record = try await store.find(idHash: Tokens.sha256(sessionID), now: time.now()),
            let role = WebRole(rawValue: record.role)
        else { return nil }
        return WebIdentity(user: record.user, role: role, csrfToken: record.csrfToken, sessionKey: record.idHash)
    }

    /// Ends the session and returns the cookie that clears it in the browser.
    public func logout(_ identity: WebIdentity) async throws -> Cookie {
        try await store.delete(idHash: identity.sessionKey)
        return sessionCookie(value: "", maxAge: .zero)
    }

    /// Removes expired sessions (called by the dashboard poller's housekeeping).
    public func purgeExpiredSessions() async throws -> Int {
        try await store.deleteExpired(now: time.now())
    }

    func sessionCookie(value: String, maxAge: Duration) -> Cookie {
        Cookie(
            name: Self.sessionCookieName, value: value, maxAge: Int(maxAge.components.seconds), path: "/",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The short-lived cookie that pairs with the login form's hidden token (login CSRF, before any session).
    func loginCSRFCookie(value: String) -> Cookie {
        loginCSRFCookie(value: value, maxAge: 3600)
    }

    /// Removes the login form's cookie from the browser once the login succeeded.
    func clearedLoginCSRFCookie() -> Cookie {
        loginCSRFCookie(value: "", maxAge: 0)
    }

    private func loginCSRFCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: Self.loginCSRFCookieName, value: value, maxAge: maxAge, path: "/login",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    private func remember(_ credential: WebCredential) {
        users.withLock { $0[credential.user] = credential }
    }

    /// bcrypt is deliberately slow; it runs on a Dispatch thread so it never blocks the cooperative pool.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
