import ResyncCore

/// Tells Portuguese from English by counting words only one of them uses; accents count for Portuguese.
enum LanguageDetector {
    /// The question's language, or nil when it cannot be told (a bare `status JOB`).
    static func detect(_ question: String, folded: FoldedText) -> Language? {
        var portuguese = 0
        var english = 0
        for word in folded.words {
            if Vocabulary.portugueseWords.contains(word) { portuguese += 1 }
            if Vocabulary.englishWords.contains(word) { english += 1 }
        }
        if question.contains(where: { "ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔÀ".contains($0) }) { portuguese += 2 }
        if portuguese == english { return nil }
        return portuguese > english ? .portuguese : .english
    }
}
