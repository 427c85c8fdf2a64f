import ResyncCore
import Testing

@Suite("Knowledge text folding, error codes and job patterns")
struct TextFoldingTests {
    @Test func foldsCaseAndAccents() {
        #expect(TextFolding.fold("Execução da FOLHA — Ação!") == "execucao da folha acao")
        #expect(TextFolding.indexText("FOLHA DE PAGAMENTO") == TextFolding.indexText("folha de pagamento"))
        #expect(TextFolding.terms("execução") == TextFolding.terms("execucao"))
        #expect(TextFolding.terms("execuções") == TextFolding.terms("execução"))
        #expect(TextFolding.terms("failures") == TextFolding.terms("failure"))
        #expect(TextFolding.terms("o job da folha") == [TextFolding.stem("job"), TextFolding.stem("folha")])
    }

    @Test(
        "return and abend codes normalise",
        arguments: [
            ("RC 12", "RC=12"), ("rc=12", "RC=12"), ("RC=0012", "RC=12"), ("return code 12", "RC=12"),
            ("0012", "RC=12"),
            ("ABEND S0C4", "S0C4"), ("s0c4", "S0C4"), ("abend U100", "U0100"), ("AWSBHT001E", "AWSBHT001E"),
        ])
    func normalisesErrorCodes(raw: String, expected: String) {
        #expect(ErrorCode.normalize(raw) == expected)
    }

    @Test func extractsErrorCodesFromText() {
        #expect(ErrorCode.extract(from: "o job falhou com rc 12 e depois ABEND S0C4") == ["RC=12", "S0C4"])
        #expect(ErrorCode.extract(from: "job PAYROLL_FINAL abended") == [])
        #expect(ErrorCode.extract(from: "deu abend no job") == ["ABEND"])
    }

    @Test(
        "glob patterns",
        arguments: [
            ("PAYROLL_*", "PAYROLL_FINAL", true), ("payroll_*", "PAYROLL_FINAL", true), ("PAY@", "PAYROLL_FINAL", true),
            ("JOB_?", "JOB_B", true), ("JOB_?", "JOB_BB", false), ("BILLING_*", "PAYROLL_FINAL", false),
            ("/FINANCE/CLOSE_*", "/FINANCE/CLOSE_MONTH", true), ("/FINANCE/CLOSE_*", "CLOSE_MONTH", false),
            ("CLOSE_*", "/FINANCE/CLOSE_MONTH", true), ("*_FINAL", "CPU1#PAYROLL.PAYROLL_FINAL", true),
        ])
    func matchesPatterns(pattern: String, name: String, expected: Bool) {
        #expect(JobNamePattern(pattern).matches(name) == expected)
    }

    @Test func moreLiteralCharactersMeanMoreSpecific() {
        #expect(JobNamePattern("PAYROLL_*").specificity > JobNamePattern("PAY@").specificity)
        #expect(JobNamePattern.baseName("/FIN/PAYROLL_FINAL") == "PAYROLL_FINAL")
        #expect(JobNamePattern.baseName("cpu1#stream.job_a") == "JOB_A")
    }

    @Test func stableHashIsStable() {
        #expect(StableHash.hex("") == "cbf29ce484222325")
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
    }
}
