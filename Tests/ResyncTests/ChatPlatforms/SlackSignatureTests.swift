import ChatPlatforms
import Foundation
import ResyncCore
import Testing

@Suite("Slack request signatures")
struct SlackSignatureTests {
    static let officialSecret = Secret("8f742231b10e8888abcd99yyyzzz85a5")
    static let officialTimestamp = "1531420618"
    static let officialBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let officialSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let officialNow = Date(timeIntervalSince1970: 1_531_420_618)

    func request(body: String, timestamp: String? = officialTimestamp, signature: String? = officialSignature)
        -> RawChatRequest
    {
        var headers: [String: String] = [:]
        if let timestamp { headers["X-Slack-Request-Timestamp"] = timestamp }
        if let signature { headers["X-Slack-Signature"] = signature }
        return RawChatRequest(endpoint: "commands", headers: headers, body: Array(body.utf8))
    }

    @Test func officialVectorComputesAndVerifies() throws {
        let computed = SlackSignatureVerifier.signature(
            secret: Self.officialSecret, timestamp: Self.officialTimestamp, body: Array(Self.officialBody.utf8))
        #expect(computed == Self.officialSignature)
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        try verifier.verify(request(body: Self.officialBody), now: Self.officialNow)
        // Header names are case-insensitive.
        let lowercased = RawChatRequest(
            endpoint: "commands",
            headers: [
                "x-slack-request-timestamp": Self.officialTimestamp, "x-slack-signature": Self.officialSignature,
            ],
            body: Array(Self.officialBody.utf8))
        try verifier.verify(lowercased, now: Self.officialNow.addingTimeInterval(299))
    }

    @Test(
        "derived vectors (secret 'secret')",
        arguments: [
            ("{\"foo\":\"bar\"}", "v0=bb5bc143e1afa37151ea6887f794287bcfad6113bb7596ffca6ec599ecbdc216"),
            ("", "v0=0010fce76bc3fc609d661a1be9c8fcccd638e2e3a60c17d3a312d641dd1d0945"),
            ("{\"text\":\"résumé ✓\"}", "v0=fad8c2d23d26f3445af3203f46c0cf3e33f88cb5b9d0b9a812ac931c255c7e81"),
        ])
    func derivedVectors(body: String, expected: String) throws {
        #expect(
            SlackSignatureVerifier.signature(secret: Secret("secret"), timestamp: "1531420618", body: Array(body.utf8))
                == expected)
        let verifier = try SlackSignatureVerifier(signingSecret: Secret("secret"))
        try verifier.verify(request(body: body, signature: expected), now: Self.officialNow)
    }

    /// The verifier keeps the keyed HMAC state and copies it per request: earlier requests must not leak into later ones.
    @Test func oneVerifierChecksManyRequestsInAnyOrder() throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Secret("secret"))
        let bodies = ["{\"foo\":\"bar\"}", "", "{\"text\":\"résumé ✓\"}", Self.officialBody]
        for body in bodies + bodies.reversed() + bodies {
            let signature = SlackSignatureVerifier.signature(
                secret: Secret("secret"), timestamp: Self.officialTimestamp, body: Array(body.utf8))
            try verifier.verify(request(body: body, signature: signature), now: Self.officialNow)
            #expect(throws: ChatRequestError.signatureMismatch) {
                try verifier.verify(request(body: body + "x", signature: signature), now: Self.officialNow)
            }
        }
    }

    @Test func tamperedBodyIsRefused() throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        #expect(throws: ChatRequestError.signatureMismatch) {
            try verifier.verify(request(body: Self.officialBody + "------"), now: Self.officialNow)
        }
    }

    @Test("stale and future timestamps", arguments: [-301.0, 301.0, -86_400.0, 3_600.0])
    func timestampsOutsideTheWindowAreRefused(offset: Double) throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        // The signature is valid for the timestamp; only the clock is off.
        #expect(throws: ChatRequestError.staleTimestamp) {
            try verifier.verify(request(body: Self.officialBody), now: Self.officialNow.addingTimeInterval(offset))
        }
    }

    @Test(
        "wrong or malformed signature versions",
        arguments: [
            "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "V0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503",
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5",
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50300",
            "v0=invalid-signature",
            "",
        ])
    func wrongVersionIsRefused(signature: String) throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        #expect(throws: ChatRequestError.unsupportedSignatureVersion) {
            try verifier.verify(request(body: Self.officialBody, signature: signature), now: Self.officialNow)
        }
    }

    @Test func wrongSecretIsRefused() throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Secret("another-secret"))
        #expect(throws: ChatRequestError.signatureMismatch) {
            try verifier.verify(request(body: Self.officialBody), now: Self.officialNow)
        }
    }

    @Test func missingHeadersAreRefused() throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        #expect(throws: ChatRequestError.missingHeader("X-Slack-Request-Timestamp")) {
            try verifier.verify(request(body: Self.officialBody, timestamp: nil), now: Self.officialNow)
        }
        #expect(throws: ChatRequestError.missingHeader("X-Slack-Signature")) {
            try verifier.verify(request(body: Self.officialBody, signature: nil), now: Self.officialNow)
        }
    }

    @Test(
        "non-numeric timestamps",
        arguments: ["", "abc", "1531420618.5", "-1531420618", " 1531420618", "99999999999999"])
    func badTimestampsAreRefused(timestamp: String) throws {
        let verifier = try SlackSignatureVerifier(signingSecret: Self.officialSecret)
        #expect(throws: ChatRequestError.badTimestamp) {
            try verifier.verify(request(body: Self.officialBody, timestamp: timestamp), now: Self.officialNow)
        }
    }

    @Test("empty signing secrets", arguments: ["", "   ", "\n\t"])
    func emptySecretIsAConfigurationError(secret: String) {
        #expect(throws: SlackSignatureVerifier.ConfigurationError.emptySigningSecret) {
            _ = try SlackSignatureVerifier(signingSecret: Secret(secret))
        }
    }
}
