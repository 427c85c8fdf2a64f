import ResyncCore
import Testing

@Suite("Job log redaction")
struct RedactionTests {
    @Test(
        "secrets are masked",
        arguments: [
            ("db password=hunter2 user=app", "hunter2"),
            ("senha: s3nh4 ok", "s3nh4"),
            ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
            ("curl https://svc:Pa55word@host/api", "Pa55word"),
            ("run --password hunter3 --user x", "hunter3"),
            ("export OPENAI=sk-proj-abcdefghijklmnopqrstu", "sk-proj-abcdefghijklmnopqrstu"),
            ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl sent", "eyJhbGciOiJIUzI1NiJ9"),
            (#"{"api_key": "k-123456"}"#, "k-123456"),
        ])
    func masks(line: String, secret: String) {
        let redacted = Redactor.redactLogLine(line)
        #expect(!redacted.contains(secret), "\(redacted)")
        #expect(redacted.contains(Redactor.mask))
    }

    @Test func ordinaryLinesAreUntouched() {
        let line = "ERROR: table PAYROLL.EMP locked; exiting with RC=12 at https://wiki.example.com/x"
        #expect(Redactor.redactLogLine(line) == line)
    }
}
