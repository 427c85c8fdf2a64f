import Foundation
import ResyncCore

/// Everything `POST /teams/webhook` checks before answering: the HMAC over the raw body, the activity's
/// shape and timestamp, and that its id was not seen before.
public struct TeamsWebhookReceiver: Sendable {
    public let verifier: TeamsSignatureVerifier
    public let replayGuard: any TeamsReplayGuard

    public init(verifier: TeamsSignatureVerifier, replayGuard: any TeamsReplayGuard) {
        self.verifier = verifier
        self.replayGuard = replayGuard
    }

    /// Verifies and parses one request. The signature is checked over the raw bytes before anything
    /// else; the replay guard is consulted last, so an invalid request never burns an activity id.
    public func receive(authorization: String?, body: [UInt8], now: Date) async throws(TeamsRequestError)
        -> TeamsInboundMessage
    {
        try verifier.verify(authorization: authorization, body: body)
        let message = try TeamsActivityParser.parse(body, now: now)
        guard await replayGuard.firstSighting(of: message.activityID, at: now) else { throw .replayedActivity }
        return message
    }
}
