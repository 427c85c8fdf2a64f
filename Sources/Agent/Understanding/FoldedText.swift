import Foundation

/// A question folded for keyword matching: lower case, no accents, punctuation turned into spaces.
struct FoldedText: Sendable {
    let words: [String]
    /// The words joined by single spaces, padded with a space on each side for phrase lookups.
    private let padded: String

    init(_ text: String) {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let cleaned = folded.map { character -> Character in
            character.isLetter || character.isNumber || character == "'" || character == "-" ? character : " "
        }
        words = String(cleaned).split(separator: " ").map { $0.replacingOccurrences(of: "'", with: "") }
            .filter { !$0.isEmpty }
        padded = " " + words.joined(separator: " ") + " "
    }

    func contains(_ phrase: String) -> Bool {
        padded.contains(" " + phrase + " ")
    }

    func containsAny(_ phrases: [String]) -> Bool {
        phrases.contains { contains($0) }
    }

    /// The folded text, without the padding.
    var joined: String { String(padded.dropFirst().dropLast()) }
}

extension String {
    /// Lower case without accents, the form every keyword comparison uses.
    var folded: String {
        folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
    }
}
