import Testing

@testable import ChatPlatforms

@Suite("Slack mrkdwn escaping")
struct SlackEscapingTests {
    @Test(
        "escapes the three control characters and nothing else",
        arguments: [
            ("plain text", "plain text"), ("a & b", "a &amp; b"), ("<@U123> <!here>", "&lt;@U123&gt; &lt;!here&gt;"),
            ("ação <b> 👍🏽", "ação &lt;b&gt; 👍🏽"), ("&amp;", "&amp;amp;"), ("", ""),
            // A combining mark after `<` makes one grapheme; Slack still reads the `<`.
            ("<\u{301}!channel>", "&lt;\u{301}!channel&gt;"),
        ])
    func escapes(text: String, expected: String) {
        #expect(slackEscaped(text) == expected)
    }
}
