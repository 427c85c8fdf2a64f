import Foundation

/// Why a Mattermost slash-command or outgoing-webhook request was refused. Never contains a token.
public enum MattermostRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingToken
    case tokenMismatch
    case unsupportedContentType(String)
    case malformedBody(String)

    /// True when the request failed authentication (answer 401 and process nothing).
    public var isAuthenticationFailure: Bool {
        switch self {
        case .missingToken, .tokenMismatch: true
        case .unsupportedContentType, .malformedBody: false
        }
    }

    public var description: String {
        switch self {
        case .missingToken: "missing token; Mattermost sends 'Authorization: Token …' or a token field"
        case .tokenMismatch:
            "token mismatch; check MATTERMOST_SLASH_TOKEN / MATTERMOST_OUTGOING_TOKEN against the integration's token"
        case .unsupportedContentType(let type):
            "unsupported Content-Type '\(type)'; expected application/x-www-form-urlencoded or application/json"
        case .malformedBody(let detail): "malformed Mattermost request: \(detail)"
        }
    }
}
