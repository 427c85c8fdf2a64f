import Crypto
import Foundation
import ResyncCore

/// Slack request signing, version 0: `v0=` + hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")),
/// accepted within ±300 s of the server's clock and compared in constant time.
public struct SlackSignatureVerifier: Sendable {
    public enum ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
        case emptySigningSecret

        public var description: String {
            "SLACK_SIGNING_SECRET is empty; copy the Signing Secret from the Slack app's Basic Information page"
        }
    }

    static let timestampHeader = "x-slack-request-timestamp"
    static let signatureHeader = "x-slack-signature"
    /// Slack's replay window.
    public static let maximumSkew: TimeInterval = 300

    /// HMAC state after the key: copied for each request, so the key's two blocks are hashed once, not per request.
    let keyed: HMAC<SHA256>

    public init(signingSecret: Secret) throws(ConfigurationError) {
        guard !signingSecret.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .emptySigningSecret
        }
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(signingSecret.value.utf8)))
    }

    /// Checks the headers of `request` against its raw body.
    public func verify(_ request: RawChatRequest, now: Date) throws(ChatRequestError) {
        guard let timestamp = request.headers[Self.timestampHeader] else {
            throw .missingHeader("X-Slack-Request-Timestamp")
        }
        guard let signature = request.headers[Self.signatureHeader] else { throw .missingHeader("X-Slack-Signature") }
        try verify(body: request.body, timestamp: timestamp, signature: signature, now: now)
    }

    public func verify(body: [UInt8], timestamp: String, signature: String, now: Date) throws(ChatRequestError) {
        guard !timestamp.isEmpty, timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let seconds = Int(timestamp)
        else { throw .badTimestamp }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= Self.maximumSkew else { throw .staleTimestamp }
        guard let provided = Self.parseV0(signature) else { throw .unsupportedSignatureVersion }
        let expected = Array(Self.mac(keyed: keyed, timestamp: timestamp, body: body))
        guard Self.constantTimeEqual(provided, expected) else { throw .signatureMismatch }
    }

    /// The `X-Slack-Signature` value for a body (for tests, benchmarks and the fake Slack server).
    public static func signature(secret: Secret, timestamp: String, body: [UInt8]) -> String {
        let keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.value.utf8)))
        let digest = mac(keyed: keyed, timestamp: timestamp, body: body)
        return "v0=" + digest.map { String(format: "%02x", $0) }.joined()
    }

    static func mac(keyed: HMAC<SHA256>, timestamp: String, body: [UInt8]) -> HMAC<SHA256>.MAC {
        var hmac = keyed
        hmac.update(data: Array("v0:\(timestamp):".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    /// `v0=` followed by exactly 64 hex digits; anything else (another version, upper case, junk) is refused.
    static func parseV0(_ signature: String) -> [UInt8]? {
        let bytes = Array(signature.utf8)
        guard bytes.count == 67, bytes[0] == UInt8(ascii: "v"), bytes[1] == UInt8(ascii: "0"),
            bytes[2] == UInt8(ascii: "=")
        else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        var index = 3
        while index < bytes.count {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
            digest.append(high << 4 | low)
            index += 2
        }
        return digest
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Compares every byte whatever the first difference, so timing does not reveal the prefix that matched.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
