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
