import Hummingbird
import HummingbirdAuth

/// What a logged-in person may do. Viewers see the dashboard, the chat and the docs; admins also review memories.
public enum WebRole: String, Sendable, Hashable, CaseIterable, Codable {
    case admin, viewer
}

/// The person behind a request, loaded from the session cookie.
public struct WebIdentity: Sendable, Hashable, RoleProviding {
    public var user: String
    public var role: WebRole
    /// The per-session token every form and unsafe API call must echo (`_csrf` field or `X-CSRF-Token`).
    public var csrfToken: String
    /// SHA-256 of the session id, the key of the session row (logout deletes it).
    public var sessionKey: String

    public init(user: String, role: WebRole, csrfToken: String, sessionKey: String) {
        self.user = user
        self.role = role
        self.csrfToken = csrfToken
        self.sessionKey = sessionKey
    }

    /// An admin holds both roles, so "viewer" checks admit admins too.
    public var roles: Set<WebRole> { role == .admin ? [.admin, .viewer] : [.viewer] }
}

extension AppRequestContext: AuthRequestContext {}
