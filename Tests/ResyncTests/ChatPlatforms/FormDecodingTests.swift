import Testing

@testable import ChatPlatforms

/// `application/x-www-form-urlencoded` as Slack sends slash commands and interactivity payloads.
@Suite("Form decoding")
struct FormDecodingTests {
    @Test(
        arguments: [
            ("", [:]),
            ("a=1", ["a": "1"]),
            ("a=1&b=two+words&c=%2Fresync%20status", ["a": "1", "b": "two words", "c": "/resync status"]),
            ("&&a=1&&", ["a": "1"]),
            ("flag&empty=&=anonymous", ["flag": "", "empty": "", "": "anonymous"]),
            ("a=first&a=second", ["a": "first"]),
            ("text=a%3Db%26c", ["text": "a=b&c"]),
            ("text=r%C3%A9sum%C3%A9", ["text": "résumé"]),
            ("k=v=w", ["k": "v=w"]),
        ] as [(String, [String: String])])
    func decodes(body: String, expected: [String: String]) throws {
        #expect(try FormDecoding.decode(Array(body.utf8)) == expected)
    }

    @Test(arguments: ["a=%", "a=%2", "a=%zz", "%G1=x", "a=%C3%28", "a=%FF"])
    func refusesBadEscapesAndInvalidUTF8(body: String) {
        #expect(throws: ChatRequestError.self) { try FormDecoding.decode(Array(body.utf8)) }
    }
}

/// The slash-command fields Resync reads, decoded in one pass without a dictionary of every field.
@Suite("Slash command fields")
struct SlashCommandFieldsTests {
    @Test func theOfficialExampleBodyGivesTheFieldsResyncReads() throws {
        let fields = try SlashCommandFields(form: Array(SlackSignatureTests.officialBody.utf8))
        #expect(fields.teamID == "T1DC2JH3J")
        #expect(fields.channelID == "G8PSS9T3V")
        #expect(fields.userID == "U2CERLKJA")
        #expect(fields.text == "")
        #expect(
            fields.responseURL == "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN")
        #expect(fields.triggerID == "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
        #expect(fields.sslCheck == nil)
    }

    @Test(
        "read like the whole-form decoder: decoded, first of a repeated name wins, escaped names match",
        arguments: [
            "channel_id=C1&user_id=U1&trigger_id=t.1&text=status+PAY%26ROLL&text=second",
            "ch%61nnel_id=C1&user%5Fid=U1&trigger_id=t.1&text=status%20PAY%26ROLL",
            "&&token=x&channel_id=C1&&user_id=U1&trigger_id=t.1&text=status+PAY%26ROLL&channel_id=C2&",
        ])
    func agreesWithTheFormDecoder(body: String) throws {
        let fields = try SlashCommandFields(form: Array(body.utf8))
        let form = try FormDecoding.decode(Array(body.utf8))
        #expect(fields.channelID == form["channel_id"])
        #expect(fields.userID == form["user_id"])
        #expect(fields.triggerID == form["trigger_id"])
        #expect(fields.text == form["text"])
        #expect(fields.text == "status PAY&ROLL")
        #expect(fields.teamID == nil)
    }

    @Test(arguments: ["text=%ZZ", "channel_id=%C3%28", "user_id=%", "%G1=x"])
    func aBadEscapeOrInvalidUTF8InAFieldItReadsIsRefused(body: String) {
        #expect(throws: ChatRequestError.self) { try SlashCommandFields(form: Array(body.utf8)) }
    }

    @Test func aFieldItDoesNotReadIsNotDecoded() throws {
        // `command` is not read: its bad escape cannot change the question, so it does not refuse the command.
        let fields = try SlashCommandFields(form: Array("command=%ZZ&channel_id=C1&user_id=U1&trigger_id=1".utf8))
        #expect(fields.channelID == "C1")
    }
}
