import Foundation
import Logging
import ResyncCore
import Testing

@testable import ChatPlatforms

@Suite("JSON string literals written by hand")
struct JSONStringLiteralTests {
    @Test(
        "decode back to the same text",
        arguments: [
            "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "ação — 👍🏽 ✅", "</script>&<>",
            String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F}\u{2028}\u{2029}",
        ])
    func roundTrips(text: String) throws {
        let literal = JSONStringLiteral.quoted(text)
        let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
        #expect(decoded == text)
    }

    @Test func slashCommandAcknowledgementIsTheDocumentedEphemeralBody() throws {
        let platform = try SlackPlatform(
            signingSecret: Secret("secret"), botToken: nil, apiBaseURL: "http://127.0.0.1:1/api",
            logger: Logger(label: "test.slack"))
        let body = platform.workingAcknowledgement(for: "status \"PAYROLL\" <now>\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        #expect(object["response_type"] == "ephemeral")
        #expect(object["text"]?.contains("status \"PAYROLL\" &lt;now&gt;") == true)
        #expect(object.count == 2)
        #expect(object["text"]?.contains("Working on") == true)
    }

    @Test func slashCommandAcknowledgementSpeaksTheConfiguredLanguage() throws {
        let platform = try SlackPlatform(
            signingSecret: Secret("secret"), botToken: nil, apiBaseURL: "http://127.0.0.1:1/api",
            language: .portuguese, logger: Logger(label: "test.slack"))
        let body = platform.workingAcknowledgement(for: "status PAYROLL_FINAL")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        #expect(object["text"]?.contains("Trabalhando em `status PAYROLL_FINAL`") == true)
    }
}
