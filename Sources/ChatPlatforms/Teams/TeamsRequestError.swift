import Foundation

/// Why a Teams outgoing-webhook request was refused. Messages name the failed check, never the secret.
public enum TeamsRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingAuthorization
    case unsupportedScheme
    case signatureMismatch
    case emptyBody
    case staleTimestamp
    case replayedActivity
    case malformedBody(String)

    /// True when the request failed authentication (answer 401); false for a verified but unusable body.
    public var isAuthenticationFailure: Bool {
        switch self {
        case .missingAuthorization, .unsupportedScheme, .signatureMismatch, .emptyBody: true
        case .staleTimestamp, .replayedActivity, .malformedBody: false
        }
    }

    public var description: String {
        switch self {
        case .missingAuthorization: "missing Authorization header; Teams sends 'HMAC <base64>'"
        case .unsupportedScheme: "unsupported Authorization scheme; expected 'HMAC <base64>'"
        case .signatureMismatch:
            "HMAC signature mismatch; check TEAMS_OUTGOING_WEBHOOK_SECRET against the webhook's security token"
        case .emptyBody: "empty request body"
        case .staleTimestamp: "the activity timestamp is more than 5 minutes from the server's clock"
        case .replayedActivity: "this activity id was already received"
        case .malformedBody(let detail): "malformed Teams activity: \(detail)"
        }
    }
}

/// A configuration problem with the Teams integration, reported at start-up.
public enum TeamsConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    case secretNotBase64
    case invalidWorkflowURL

    public var description: String {
        switch self {
        case .secretNotBase64:
            "TEAMS_OUTGOING_WEBHOOK_SECRET is not valid base64; paste the security token Teams showed when the "
                + "outgoing webhook was created"
        case .invalidWorkflowURL: "TEAMS_WORKFLOW_URL is not an http(s) URL; copy the URL of the Workflows trigger"
        }
    }
}
