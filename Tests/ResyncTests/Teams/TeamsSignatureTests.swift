import ChatPlatforms
import Foundation
import ResyncCore
import Testing

@Suite("Teams outgoing-webhook signature")
struct TeamsSignatureTests {
    /// The `contoso` sample key of Microsoft's AuthProvider.cs.
    static let sampleKey = Secret("vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=")

    static let vectors: [(body: String, authorization: String)] = [
        ("{}", "HMAC wwTNfkHNpSUs8T4YUDoB5ANTPjkYlQ5axpNc6mGJGcg="),
        (
            #"{"type":"message","text":"<at>resync</at> status JOB1"}"#,
            "HMAC UH2CVU5OdXg8k4AY5blJqa1OXPwwfKU1y9i84xw2UyE="
        ),
    ]

    @Test(arguments: vectors)
    func derivedVectorsMatchAndVerify(body: String, authorization: String) throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        #expect(verifier.authorization(for: Array(body.utf8)) == authorization)
        try verifier.verify(authorization: authorization, body: Array(body.utf8))
    }

    @Test(arguments: [
        "Bearer wwTNfkHNpSUs8T4YUDoB5ANTPjkYlQ5axpNc6mGJGcg=", "Basic abc",
        "wwTNfkHNpSUs8T4YUDoB5ANTPjkYlQ5axpNc6mGJGcg=",
    ])
    func otherSchemesAreRejected(header: String) throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        #expect(throws: TeamsRequestError.unsupportedScheme) {
            try verifier.verify(authorization: header, body: Array("{}".utf8))
        }
    }

    @Test func missingHeaderIsRejected() throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        #expect(throws: TeamsRequestError.missingAuthorization) {
            try verifier.verify(authorization: nil, body: Array("{}".utf8))
        }
        #expect(throws: TeamsRequestError.missingAuthorization) {
            try verifier.verify(authorization: "", body: Array("{}".utf8))
        }
    }

    @Test func emptyBodyIsRejectedEvenWithItsOwnSignature() throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        let header = verifier.authorization(for: [])
        #expect(throws: TeamsRequestError.emptyBody) { try verifier.verify(authorization: header, body: []) }
    }

    @Test func keyUsedAsRawStringInsteadOfDecodedFails() throws {
        // A sender that forgot to base64-decode the token signs with the token's characters as the key.
        let rawKeyAsSecret = Secret(Data(Self.sampleKey.value.utf8).base64EncodedString())
        let wrongSender = try TeamsSignatureVerifier(secret: rawKeyAsSecret)
        let body = Array("{}".utf8)
        let header = wrongSender.authorization(for: body)
        #expect(header != Self.vectors[0].authorization)
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        #expect(throws: TeamsRequestError.signatureMismatch) { try verifier.verify(authorization: header, body: body) }
    }

    @Test func oneChangedWhitespaceByteFails() throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        let tampered = #"{"type":"message","text":"<at>resync</at>  status JOB1"}"#
        #expect(throws: TeamsRequestError.signatureMismatch) {
            try verifier.verify(authorization: Self.vectors[1].authorization, body: Array(tampered.utf8))
        }
    }

    @Test func undecodableSignatureFails() throws {
        let verifier = try TeamsSignatureVerifier(secret: Self.sampleKey)
        #expect(throws: TeamsRequestError.signatureMismatch) {
            try verifier.verify(authorization: "HMAC not*base64", body: Array("{}".utf8))
        }
    }

    @Test(arguments: ["", "not base64!"])
    func unusableSecretIsAConfigurationError(secret: String) {
        #expect(throws: TeamsConfigurationError.secretNotBase64) { try TeamsSignatureVerifier(secret: Secret(secret)) }
    }

    @Test func errorsNeverContainTheSecret() {
        let messages = [TeamsRequestError.signatureMismatch, .missingAuthorization, .unsupportedScheme].map(
            \.description)
        #expect(messages.allSatisfy { !$0.contains(Self.sampleKey.value) })
    }
}
