import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// Loads the identity from the admin API token or the session cookie, when there is one; never refuses by
/// itself (a wrong token is simply no identity, so the access policy answers 401).
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let auth: WebAuth
    var apiToken: String? = nil

    func authenticate(request: Request, context: Context) async throws -> WebIdentity? {
        if let apiToken, let presented = BearerCredentials.token(in: request),
            Tokens.constantTimeEqual(presented, apiToken)
        {
            return .apiToken
        }
        guard let cookie = request.cookies[WebAuth.sessionCookieName] else { return nil }
        do {
            return try await auth.identity(sessionID: cookie.value)
        } catch {
            // A database hiccup must not log anyone in; it shows as "not logged in" and is logged.
            context.logger.error("session lookup failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return nil
        }
    }
}

/// `Authorization: Bearer <token>`, with the scheme matched case-insensitively (RFC 7235: `bearer` is `Bearer`).
enum BearerCredentials {
    /// What `WWW-Authenticate` says on a 401: a bearer token is one way in (RFC 6750 §3).
    static let challenge = #"Bearer realm="resync""#
    /// The challenge when a bearer token was sent but not accepted.
    static let rejectedChallenge = #"Bearer realm="resync", error="invalid_token""#

    /// The token after the scheme, or nil when the header is absent or uses another scheme.
    static func token(in request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let scheme = parts.first, scheme.lowercased() == "bearer" else { return nil }
        return parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    }
}

/// Which paths are open, which need a login and which need the admin role. Deny by default: a route nobody
/// listed here needs a login, so a new page cannot be exposed by forgetting to protect it.
public struct AccessPolicy: Sendable {
    public enum Requirement: Sendable, Equatable { case open, viewer, admin }

    /// Exact paths anyone may reach.
    public var openPaths: Set<String>
    /// Path prefixes anyone may reach (static files; chat webhooks, which verify their own signatures).
    public var openPrefixes: [String]
    /// Path prefixes only admins may reach.
    public var adminPrefixes: [String]

    public static let standard = AccessPolicy(
        openPaths: ["/healthz", "/readyz", "/metrics", "/api/metrics", "/login", "/docs", "/openapi.json"],
        openPrefixes: ["/static/", "/slack/", "/teams/", "/mattermost/"],
        adminPrefixes: ["/revisao", "/api/memories"])

    public func requirement(for path: String) -> Requirement {
        if openPaths.contains(path) || openPrefixes.contains(where: { path.hasPrefix($0) }) { return .open }
        if adminPrefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") || path.hasPrefix($0 + "?") }) {
            return .admin
        }
        return .viewer
    }
}

/// Enforces `AccessPolicy`: pages redirect to `/login` (302), APIs and event streams get 401 JSON, a viewer on an
/// admin route gets 403.
struct RequireLoginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let policy: AccessPolicy

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let requirement = policy.requirement(for: path)
        // No route matched (the router sets the endpoint path only on a match): let it become a plain 404.
        guard requirement != .open, context.endpointPath != nil else { return try await next(request, context) }
        guard let identity = context.identity else {
            if Self.wantsHTML(request) {
                let target = request.uri.string
                let query =
                    target == "/"
                    ? "" : "?next=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                return Response(status: .found, headers: [.location: "/login\(query)"])
            }
            throw Self.unauthorized(request)
        }
        if requirement == .admin && !identity.roles.contains(.admin) {
            throw HTTPError(.forbidden, message: "this needs the admin role; you are logged in as a viewer")
        }
        return try await next(request, context)
    }

    /// The 401 for an API client, with its challenge; a client that sent a bearer token learns it was refused.
    static func unauthorized(_ request: Request) -> HTTPError {
        let ways =
            "send Authorization: Bearer <RESYNC_API_TOKEN>, or log in (POST /login) and send the resync_session cookie"
        if BearerCredentials.token(in: request) != nil {
            return HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: BearerCredentials.rejectedChallenge],
                message: "the bearer token was not accepted (wrong token, or RESYNC_API_TOKEN is not set here); \(ways)"
            )
        }
        return HTTPError(
            .unauthorized, headers: [.wwwAuthenticate: BearerCredentials.challenge], message: "log in first: \(ways)")
    }

    /// Browsers navigating to a page; API clients and EventSource get status codes instead of redirects.
    static func wantsHTML(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasSuffix("/events") { return false }
        guard request.method == .get || request.method == .head else { return false }
        let accept = request.headers[.accept] ?? "text/html"
        return accept.contains("text/html") || accept.contains("*/*")
    }
}

/// Refuses state-changing requests from a logged-in browser unless they echo the session's CSRF token, in the
/// `X-CSRF-Token` header (JavaScript) or the `_csrf` form field (plain HTML forms). Requests without a session
/// (webhooks with their own signatures, the login form with its own token) are not its business.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let headerName = HTTPField.Name("X-CSRF-Token")!
    static let formField = "_csrf"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The login form carries its own token (checked by the route), since no session exists before it.
        guard let identity = context.identity, !identity.isAPIToken, !Self.isSafe(request.method),
            request.uri.path != "/login"
        else {
            return try await next(request, context)
        }
        var request = request
        let submitted = try await Self.submittedToken(&request, context: context)
        guard let submitted, CSRFToken.matches(submitted, identity: identity) else {
            throw HTTPError(.forbidden, message: "missing or wrong CSRF token; reload the page and try again")
        }
        return try await next(request, context)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        [.get, .head, .options].contains(method)
    }

    /// The header, or the form field (the body is collected once and stays readable for the route).
    static func submittedToken(_ request: inout Request, context: Context) async throws -> String? {
        if let header = request.headers[headerName] { return header }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        return FormFields(String(buffer: body))[formField]
    }
}

/// The CSRF helper forms use: the token to embed, and the check. The review page reuses it.
public enum CSRFToken {
    /// The hidden field to put inside every `<form method="post">` of a logged-in page.
    public static func hiddenField(for identity: WebIdentity) -> String {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(HTMLEscaping.escape(identity.csrfToken))\">"
    }

    public static func matches(_ submitted: String, identity: WebIdentity) -> Bool {
        Tokens.constantTimeEqual(submitted, identity.csrfToken)
    }
}

/// `application/x-www-form-urlencoded` fields; the last value wins.
public struct FormFields: Sendable {
    public private(set) var values: [String: String] = [:]

    public init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            let name = Self.decode(rawName)
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    public subscript(name: String) -> String? { values[name] }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// Puts `/metrics` and `/api/metrics` behind `Authorization: Bearer` when `RESYNC_METRICS_TOKEN` is set.
struct MetricsTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let token: String?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token, request.uri.path == "/metrics" || request.uri.path == "/api/metrics" else {
            return try await next(request, context)
        }
        guard let presented = BearerCredentials.token(in: request), Tokens.constantTimeEqual(presented, token) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: BearerCredentials.challenge],
                message: "metrics need Authorization: Bearer <RESYNC_METRICS_TOKEN>")
        }
        return try await next(request, context)
    }
}
