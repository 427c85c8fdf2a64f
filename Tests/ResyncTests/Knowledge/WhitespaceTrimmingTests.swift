import Foundation
import ResyncCore
import Testing

/// Cells and webhook fields are trimmed without Foundation; the result must be what `trimmingCharacters(in:)` gives.
@Suite("Whitespace trimming")
struct WhitespaceTrimmingTests {
    @Test(
        "matches Foundation's whitespace and newline trimming",
        arguments: [
            "", " ", "\n\t ", "PAYROLL_FINAL", "  PAYROLL_FINAL", "PAYROLL_FINAL \n", " a b ", "\u{00A0}nbsp\u{00A0}",
            "\u{3000}全角\u{3000}", "\r\nlinha\r\n", "ação ", " é", "\u{2028}x\u{2029}", "\u{85}next line\u{85}",
            // Printable ASCII at both ends takes a shortcut; around its edges.
            "a", "!~", "~tilde~ ", "e\u{301}", " e\u{301}x", "\u{7F}del\u{7F}", "x\u{301} ",
        ])
    func matchesFoundation(cell: String) {
        #expect(cell.trimmedWhitespace == cell.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(cell.isBlank == cell.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
