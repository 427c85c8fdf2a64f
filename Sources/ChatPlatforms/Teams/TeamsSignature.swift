import Crypto
import Foundation
import ResyncCore

/// Verifies the `Authorization: HMAC <base64>` header Teams puts on outgoing-webhook requests:
/// base64(HMAC-SHA256(base64-decoded security token, raw UTF-8 body)).
public struct TeamsSignatureVerifier: Sendable {
    private let key: SymmetricKey

    /// `secret` is the security token Teams shows once when the outgoing webhook is created (base64).
    public init(secret: Secret) throws(TeamsConfigurationError) {
        guard !secret.isEmpty, let keyBytes = Data(base64Encoded: secret.value), !keyBytes.isEmpty else {
            throw .secretNotBase64
        }
        key = SymmetricKey(data: keyBytes)
    }

    /// The header value Teams would send for `body`; used by tests and the fake sender.
    public func authorization(for body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "HMAC " + Data(mac).base64EncodedString()
    }

    /// Checks `authorization` against `body` in constant time. Call before parsing the body.
    public func verify(authorization: String?, body: [UInt8]) throws(TeamsRequestError) {
        guard let authorization, !authorization.isEmpty else { throw .missingAuthorization }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == "HMAC" else { throw .unsupportedScheme }
        guard !body.isEmpty else { throw .emptyBody }
        guard let provided = Data(base64Encoded: String(parts[1].trimmingCharacters(in: .whitespaces))) else {
            throw .signatureMismatch
        }
        // swift-crypto compares the codes in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(provided, authenticating: body, using: key) else {
            throw .signatureMismatch
        }
    }
}
