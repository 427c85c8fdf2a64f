import Foundation
import ResyncCore
import TestSupport
import Testing

/// `TextFolding.fold` folds ASCII without Unicode tables and decomposes other characters one at a time.
/// These tests hold it to the definition: canonical decomposition of the whole text, nonspacing marks
/// dropped, letters and digits lower-cased, every other run one space.
@Suite("Knowledge text folding matches its Unicode definition")
struct TextFoldingEquivalenceTests {
    static func definition(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if pendingSpace && !output.isEmpty { output.append(" ") }
                pendingSpace = false
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                pendingSpace = true
            }
        }
        return String(output)
    }

    @Test(
        "known texts",
        arguments: [
            "Execução da FOLHA — Ação!", "  leading and trailing  ", "", "e\u{301}xito", "İstanbul ǅemal ﬁle",
            "RC=12; ABEND S0C4 (job PAYROLL_FINAL)", "日本語のテキスト", "Ⅻ ½ ٣ 𝟘", "naïve café Ångström ÇÃO",
            "emoji 👍🏽 e ✅", "tab\tnew\nline", "\u{0}\u{7F}control",
        ])
    func knownTexts(text: String) {
        #expect(TextFolding.fold(text) == Self.definition(text))
    }

    @Test func seededRandomTexts() {
        // Latin-1, Latin Extended, combining marks, CJK, digits of other scripts, symbols and ASCII.
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0xA0...0xFF, 0x100...0x24F, 0x300...0x36F, 0x391...0x3C9, 0x660...0x669, 0x1E00...0x1EFF,
            0x2160...0x2188, 0x3040...0x30FF, 0x4E00...0x4E50, 0xAC00...0xAC40, 0x1F300...0x1F64F,
        ]
        var generator = SeededGenerator(seed: 20_261_126)
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
                if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &generator)) { text.append(scalar) }
            }
            let string = String(text)
            #expect(TextFolding.fold(string) == Self.definition(string), "text: \(string.unicodeScalars.map(\.value))")
        }
    }
}
