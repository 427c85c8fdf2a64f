import Foundation

/// The one text normalisation the knowledge base uses for indexing and for queries, on every engine:
/// lower case, accents removed, split on anything that is not a letter or digit, Portuguese and English
/// stop words dropped, and a light suffix-stripping stemmer. Both SQLite FTS5 and PostgreSQL `tsvector`
/// index the output, so both engines match the same words.
public enum TextFolding {
    /// Lower-cased, accent-free text with runs of non-alphanumerics turned into one space.
    public static func fold(_ text: String) -> String {
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
        guard token.count > 3, token.unicodeScalars.allSatisfy({ $0.isASCII }) else { return token }
        var word = token
        word = replacingSuffix(of: word, rules: pluralRules)
        word = replacingSuffix(of: word, rules: derivationRules)
        if word.count > 4, let last = word.last, "aeo".contains(last) {
            word.removeLast()
        }
        return word
    }

    static func replacingSuffix(of word: String, rules: [(String, String)]) -> String {
        for (suffix, replacement) in rules where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            return String(word.dropLast(suffix.count)) + replacement
        }
        return word
    }

    // Longest suffix first; the first rule that applies wins.
    static let pluralRules: [(String, String)] = [
        ("coes", "cao"), ("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("ois", "ol"),
        ("ies", "y"), ("sses", "ss"), ("ns", "m"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""),
    ]
    static let derivationRules: [(String, String)] = [
        ("amente", ""), ("mente", ""), ("ing", ""), ("ed", ""), ("ly", ""),
    ]

    static let stopWords: Set<String> = [
        // Portuguese
        "a", "o", "as", "os", "um", "uma", "de", "da", "do", "das", "dos", "e", "em", "no", "na", "nos", "nas",
        "para", "por", "com", "que", "se", "ao", "aos", "qual", "como", "pra",
        // English
        "the", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "with", "at", "by", "it", "what", "how",
    ]
}
