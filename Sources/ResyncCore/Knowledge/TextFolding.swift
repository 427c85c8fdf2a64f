import Foundation

/// The one text normalisation the knowledge base uses for indexing and for queries, on every engine:
/// lower case, accents removed, split on anything that is not a letter or digit, Portuguese and English
/// stop words dropped, and a light suffix-stripping stemmer. Both SQLite FTS5 and PostgreSQL `tsvector`
/// index the output, so both engines match the same words.
public enum TextFolding {
    /// Lower-cased, accent-free text with runs of non-alphanumerics turned into one space.
    public static func fold(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        func keep(_ byte: UInt8) {
            if pendingSpace && !output.isEmpty { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
            output.append(byte)
        }
        for scalar in text.unicodeScalars {
            // Imports fold millions of characters, nearly all ASCII: those need no Unicode tables.
            guard scalar.isASCII else {
                foldNonASCII(scalar, into: &output, pendingSpace: &pendingSpace)
                continue
            }
            let byte = UInt8(scalar.value)
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): keep(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): keep(byte)
            default: pendingSpace = true
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Canonical decomposition of one scalar equals its decomposition in context, up to the order of
    /// combining marks, which folding drops.
    static func foldNonASCII(_ scalar: Unicode.Scalar, into output: inout [UInt8], pendingSpace: inout Bool) {
        for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
            if part.properties.generalCategory == .nonspacingMark { continue }
            if part.properties.isAlphabetic || part.properties.numericType != nil {
                if pendingSpace && !output.isEmpty { output.append(UInt8(ascii: " ")) }
                pendingSpace = false
                output.append(contentsOf: part.properties.lowercaseMapping.utf8)
            } else {
                pendingSpace = true
            }
        }
    }

    /// Folded, stemmed search terms without stop words, in order (duplicates kept).
    public static func terms(_ text: String) -> [String] {
        fold(text).split(separator: " ").compactMap { word in
            let token = String(word)
            return stopWords.contains(token) ? nil : stem(token)
        }
    }

    /// The indexable form of `text`: its terms joined by spaces.
    public static func indexText(_ text: String) -> String {
        terms(text).joined(separator: " ")
    }

    /// A light Portuguese/English stemmer: plurals, a few derivational suffixes, a final vowel.
    /// It only has to be consistent, since documents and queries both go through it.
    public static func stem(_ token: String) -> String {
        // ASCII only, so byte counts are character counts.
        guard token.utf8.count > 3, token.utf8.allSatisfy({ $0 < 0x80 }) else { return token }
        var word = Array(token.utf8)
        replaceSuffix(of: &word, rules: pluralRules)
        replaceSuffix(of: &word, rules: derivationRules)
        if word.count > 4, let last = word.last,
            last == UInt8(ascii: "a") || last == UInt8(ascii: "e") || last == UInt8(ascii: "o")
        {
            word.removeLast()
        }
        return String(decoding: word, as: UTF8.self)
    }

    static func replaceSuffix(of word: inout [UInt8], rules: [(suffix: [UInt8], replacement: [UInt8])]) {
        for rule in rules where word.count - rule.suffix.count >= 3 && word.ends(with: rule.suffix) {
            word.removeLast(rule.suffix.count)
            word.append(contentsOf: rule.replacement)
            return
        }
    }

    // Longest suffix first; the first rule that applies wins.
    static let pluralRules = rules([
        ("coes", "cao"), ("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("ois", "ol"),
        ("ies", "y"), ("sses", "ss"), ("ns", "m"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""),
    ])
    static let derivationRules = rules([
        ("amente", ""), ("mente", ""), ("ing", ""), ("ed", ""), ("ly", ""),
    ])

    static func rules(_ pairs: [(String, String)]) -> [(suffix: [UInt8], replacement: [UInt8])] {
        pairs.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    }

    static let stopWords: Set<String> = [
        // Portuguese
        "a", "o", "as", "os", "um", "uma", "de", "da", "do", "das", "dos", "e", "em", "no", "na", "nos", "nas",
        "para", "por", "com", "que", "se", "ao", "aos", "qual", "como", "pra",
        // English
        "the", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "with", "at", "by", "it", "what", "how",
    ]
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
