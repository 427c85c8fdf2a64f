import Foundation
import Testing
import Web

@Suite("Config .env file")
struct DotEnvFileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var expected: [String: String]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain", text: "A=1\nB=two\n", expected: ["A": "1", "B": "two"]),
        Case(name: "no final newline", text: "A=1\nB=2", expected: ["A": "1", "B": "2"]),
        Case(name: "CRLF line endings", text: "A=1\r\nB=2\r\n", expected: ["A": "1", "B": "2"]),
        Case(name: "old Mac CR line endings", text: "A=1\rB=2\r", expected: ["A": "1", "B": "2"]),
        Case(
            name: "mixed line endings", text: "A=1\r\nB=2\nC=3\rD=4",
            expected: ["A": "1", "B": "2", "C": "3", "D": "4"]),
        Case(name: "byte order mark", text: "\u{FEFF}A=1\r\n", expected: ["A": "1"]),
        Case(
            name: "blank and comment lines", text: "# heading\n\n   \n\t# indented comment\r\nA=1\n",
            expected: ["A": "1"]),
        Case(name: "export prefix", text: "export A=45\nexport\tB=x\n", expected: ["A": "45", "B": "x"]),
        Case(name: "a variable named export", text: "export=1\n", expected: ["export": "1"]),
        Case(name: "spaces around =", text: "A = 1\n  B\t=\t2  \n", expected: ["A": "1", "B": "2"]),
        Case(name: "empty value", text: "A=\nB=   \n", expected: ["A": "", "B": ""]),
        Case(name: "value with =", text: "A=x=y==\n", expected: ["A": "x=y=="]),
        Case(name: "inline comment", text: "A=127.0.0.1 # trailing comment\n", expected: ["A": "127.0.0.1"]),
        Case(name: "tab before comment", text: "A=v\t#c\n", expected: ["A": "v"]),
        Case(name: "# without a space is part of the value", text: "A=abc#def\n", expected: ["A": "abc#def"]),
        Case(
            name: "# right after = is part of the value", text: "SLACK_OPS_CHANNEL=#ops\n",
            expected: ["SLACK_OPS_CHANNEL": "#ops"]),
        Case(name: "inner spaces kept", text: "A=quoted user  \n", expected: ["A": "quoted user"]),
        Case(name: "double quotes removed", text: "TWS_USER=\"quoted user\"\n", expected: ["TWS_USER": "quoted user"]),
        Case(name: "single quotes removed", text: "A='x y'\n", expected: ["A": "x y"]),
        Case(name: "empty quotes", text: "A=\"\"\nB=''\n", expected: ["A": "", "B": ""]),
        Case(
            name: "comment after a quoted value", text: "A=\"a # not a comment\" # a comment\n",
            expected: ["A": "a # not a comment"]),
        Case(
            name: "double-quoted escapes", text: #"A="line1\nline2\t\"q\" \\ \'s\' \d""# + "\n",
            expected: ["A": "line1\nline2\t\"q\" \\ 's' \\d"]),
        Case(name: "single quotes are literal", text: #"A='a\nb "c" $D'"# + "\n", expected: ["A": #"a\nb "c" $D"#]),
        Case(
            name: "Windows path keeps its backslashes", text: #"A="C:\data\kb.xlsx""# + "\n",
            expected: ["A": #"C:\data\kb.xlsx"#]),
        Case(
            name: "multiline double-quoted value", text: "KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nB=2\n",
            expected: ["KEY": "-----BEGIN-----\nabc\n-----END-----", "B": "2"]),
        Case(name: "multiline value in a CRLF file", text: "A='x\r\ny'\r\nB=2\r\n", expected: ["A": "x\ny", "B": "2"]),
        Case(name: "no variable expansion", text: "A=1\nB=${A}$A\n", expected: ["A": "1", "B": "${A}$A"]),
        Case(name: "later value wins", text: "A=1\nA=2\n", expected: ["A": "2"]),
        Case(name: "quotes inside an unquoted value are kept", text: "A=it's \"x\"\n", expected: ["A": "it's \"x\""]),
        Case(name: "unicode value", text: "A=São Paulo ✅\n", expected: ["A": "São Paulo ✅"]),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        let (entries, errors) = DotEnvFile.parse(testCase.text)
        #expect(errors.isEmpty, "\(errors)")
        var variables: [String: String] = [:]
        for entry in entries { variables[entry.name] = entry.value }
        #expect(variables == testCase.expected)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var error: DotEnvFile.SyntaxError

        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "no =", text: "A=1\nTWS_PASSWORD SuperSecretPW\n", error: .missingEquals(line: 2)),
        Bad(name: "a bare word", text: "SuperSecretPW\n", error: .missingEquals(line: 1)),
        Bad(name: "name with a dash", text: "\r\n\r\nMY-KEY=SuperSecretPW\r\n", error: .badName(line: 3)),
        Bad(name: "name starting with a digit", text: "1A=SuperSecretPW\n", error: .badName(line: 1)),
        Bad(name: "empty name", text: "=SuperSecretPW\n", error: .badName(line: 1)),
        Bad(name: "space inside the name", text: "MY KEY=SuperSecretPW\n", error: .missingEquals(line: 1)),
        Bad(name: "unclosed double quote", text: "A=1\nB=\"SuperSecretPW\nC=3\n", error: .unterminatedQuote(line: 2)),
        Bad(name: "unclosed single quote", text: "B='SuperSecretPW", error: .unterminatedQuote(line: 1)),
        Bad(name: "text after the closing quote", text: "A=\"x\"SuperSecretPW\n", error: .textAfterQuote(line: 1)),
        Bad(
            name: "text after a multiline quote", text: "A=\"x\ny\" SuperSecretPW\n",
            error: .textAfterQuote(line: 2)),
    ]

    @Test(arguments: bad)
    func refuses(_ testCase: Bad) {
        let (_, errors) = DotEnvFile.parse(testCase.text)
        #expect(errors == [testCase.error])
        #expect(errors.allSatisfy { !$0.description.contains("SuperSecretPW") })
        #expect(errors.first?.description.hasPrefix("line \(testCase.error.line): ") == true)
    }

    @Test func everyBadLineIsReportedAndTheOthersStillRead() {
        let (entries, errors) = DotEnvFile.parse("A=1\noops\nB=2\n9=x\nC=3\n")
        #expect(entries.map(\.name) == ["A", "B", "C"])
        #expect(errors == [.missingEquals(line: 2), .badName(line: 4)])
    }

    @Test func entriesKnowTheirLine() {
        let (entries, _) = DotEnvFile.parse("# c\r\n\r\nA=1\r\nB=\"x\ny\"\r\nC=3\r\n")
        #expect(entries.map(\.line) == [3, 4, 6])
    }
}
