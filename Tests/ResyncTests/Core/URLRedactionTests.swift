import ResyncCore
import Testing

@Suite("URL redaction")
struct URLRedactionTests {
    @Test(
        arguments: [
            ("https://hwa.example.com:9443/twsd", "https://hwa.example.com:9443/twsd"),
            ("https://ops:canary-pw@hwa.example.com/twsd", "https://****@hwa.example.com/twsd"),
            ("htps://ops:canary-pw@hwa.example.com/twsd", "htps://****@hwa.example.com/twsd"),
            ("https://canary-token@mm.example.com", "https://****@mm.example.com"),
            ("http://u:canary/pw@host/v1", "http://****@host/v1"),
            ("http://h/v1?api_key=canary-key", "http://h/v1?api_key=****"),
            ("http://h/v1?a=canary1&b=&canary2", "http://h/v1?a=****&b=****&****"),
            ("http://h/v1?x=1#canary-fragment", "http://h/v1?x=****#****"),
            ("http://h/v1#canary-fragment", "http://h/v1#****"),
            ("https://u:canary@h/p?k=canary#canary", "https://****@h/p?k=****#****"),
            ("ops:canary-pw@hwa.example.com", "****@hwa.example.com"),
            ("not a url", "not a url"),
            ("", ""),
        ])
    func masksCredentials(raw: String, expected: String) {
        let shown = Redactor.redactURL(raw)
        #expect(shown == expected)
        #expect(!shown.contains("canary"))
    }
}
