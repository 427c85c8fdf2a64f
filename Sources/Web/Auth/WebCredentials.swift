import ResyncCore

/// A user allowed to log in: name, bcrypt hash and role.
public struct WebCredential: Sendable, Hashable {
    public var user: String
    public var passwordHash: Secret
    public var role: WebRole

    public init(user: String, passwordHash: Secret, role: WebRole) {
        self.user = user
        self.passwordHash = passwordHash
        self.role = role
    }
}

/// How the web login behaves; built from `AppConfig` by `WebAuthConfiguration.from(_:)`.
public struct WebAuthConfiguration: Sendable {
    /// Users from configuration (the admin; viewers when configuration grows them).
    public var users: [WebCredential]
    /// In development with no configured hash: the admin whose password is generated once and kept in the database.
    public var generatedAdminUser: String?
    /// `Secure` on cookies; off only in development, where plain http://localhost is normal.
    public var secureCookies: Bool
    public var sessionLifetime: Duration
    /// bcrypt cost for generated passwords.
    public var bcryptCost: UInt8

    public init(
        users: [WebCredential], generatedAdminUser: String?, secureCookies: Bool,
        sessionLifetime: Duration = .seconds(12 * 3600), bcryptCost: UInt8 = 12
    ) {
        self.users = users
        self.generatedAdminUser = generatedAdminUser
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.bcryptCost = bcryptCost
    }

    public static func from(_ config: AppConfig) -> WebAuthConfiguration {
        let development = config.environment == .development
        var users: [WebCredential] = []
        if let admin = config.admin, let hash = admin.passwordHash {
            users.append(WebCredential(user: admin.user, passwordHash: hash, role: .admin))
        }
        // Production refuses to start without a hash (AppConfig), so generation only ever happens in development.
        let generated = users.isEmpty && development ? (config.admin?.user ?? "admin") : nil
        return WebAuthConfiguration(users: users, generatedAdminUser: generated, secureCookies: !development)
    }
}
