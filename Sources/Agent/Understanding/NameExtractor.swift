import Foundation

/// Job names, job stream names and error codes found in a question.
struct ExtractedNames: Sendable, Equatable {
    var jobs: [String] = []
    var streams: [String] = []
    var errorCode: String?
    /// The question without the names found in it, for keyword matching: the words inside `CANCEL_ORDERS` or
    /// `BKP_LOG_SHIP` are part of a name, not a request to cancel or a question about a log.
    var textWithoutNames = ""
}

/// Finds names the way operators write them: in backticks or quotes, upper-case tokens with `_` or
/// digits, `WS#STREAM.JOB`, folder paths (`/FINANCE/PAYROLL_FINAL`), or the word after "job"/"stream".
enum NameExtractor {
    static var trimmedWithPeriod: CharacterSet { trimmedSet.union(CharacterSet(charactersIn: ".")) }

    static func extract(_ question: String) -> ExtractedNames {
        var names = ExtractedNames()
        names.errorCode = errorCode(in: question)
        var remaining = question
        for quoted in quotedNames(in: question) {
            if quoted.afterStreamWord { names.streams.append(quoted.name) } else { names.jobs.append(quoted.name) }
            remaining = remaining.replacingOccurrences(of: quoted.written, with: " ")
        }
        let tokens = remaining.split(whereSeparator: \.isWhitespace).map { written in
            (written: written, token: String(written).trimmingCharacters(in: trimmedWithPeriod))
        }.filter { !$0.token.isEmpty }
        var kept: [Substring] = []
        for (index, (written, token)) in tokens.enumerated() {
            let previous = index > 0 ? tokens[index - 1].token.folded : ""
            let beforePrevious = index > 1 ? tokens[index - 2].token.folded : ""
            let isName = classify(token, previous: previous, beforePrevious: beforePrevious, into: &names)
            if !isName || mayBeAKeyword(token, previous: previous, beforePrevious: beforePrevious) {
                kept.append(written)
            }
        }
        names.textWithoutNames = kept.joined(separator: " ")
        names.jobs = unique(names.jobs)
        names.streams = unique(names.streams)
        return names
    }

    /// Adds `token` to `names` when it is a job or stream name; returns whether it was one.
    private static func classify(
        _ token: String, previous: String, beforePrevious: String, into names: inout ExtractedNames
    ) -> Bool {
        if isErrorCode(token) || isWindowToken(token) { return false }
        let afterStreamWord = followsStreamWord(previous: previous, beforePrevious: beforePrevious)
        if token.contains("#") {
            let parts = token.split(separator: "#", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { return false }
            if parts[1].contains(".") {
                names.jobs.append(token.uppercased())
            } else {
                names.streams.append(parts[1].uppercased())
            }
            return true
        }
        if token.hasPrefix("/") {
            let segments = token.split(separator: "/").map(String.init)
            guard let last = segments.last, segments.allSatisfy({ isNameShaped($0, loose: true) }),
                // A lower-case path (`freed /data/in`) is a file, unless its last part is shaped like a job name
                // or a job/stream word introduced it.
                token == token.uppercased() || isLowerCaseName(last) || afterStreamWord || previous == "job"
            else { return false }
            if afterStreamWord {
                names.streams.append(token.uppercased())
            } else {
                names.jobs.append(token.uppercased())
            }
            return true
        }
        if afterStreamWord, isNameShaped(token, loose: true), !Vocabulary.notNameWords.contains(token.folded) {
            names.streams.append(token.uppercased())
            return true
        }
        if isUpperCaseName(token) || isLowerCaseName(token) {
            names.jobs.append(token.uppercased())
            return true
        }
        if previous == "job", isNameShaped(token, loose: true), token.count >= 3,
            !Vocabulary.notNameWords.contains(token.folded), !isVocabularyWord(token.folded)
        {
            names.jobs.append(token.uppercased())
            return true
        }
        return false
    }

    /// A name that is one plain word (`RERUN`, `CANCELA`) may be a keyword typed in capitals, so it stays in the
    /// text keywords are read from; one with `_`, digits, `#` or `/`, or introduced by "job"/"stream", is only a name.
    static func mayBeAKeyword(_ token: String, previous: String, beforePrevious: String) -> Bool {
        token.allSatisfy(\.isLetter) && previous != "job"
            && !followsStreamWord(previous: previous, beforePrevious: beforePrevious)
    }

    static func followsStreamWord(previous: String, beforePrevious: String) -> Bool {
        isStreamWord(previous) || (isArticle(previous) && isStreamWord(beforePrevious))
    }

    /// A name written in backticks or quotes.
    struct QuotedName {
        var name: String
        /// The name as written, quotes included.
        var written: String
        var afterStreamWord: Bool
    }

    /// Names in backticks or quotes.
    static func quotedNames(in question: String) -> [QuotedName] {
        let pairs: [(Character, Character)] = [("`", "`"), ("\"", "\""), ("“", "”"), ("'", "'"), ("‘", "’")]
        var found: [QuotedName] = []
        let characters = Array(question)
        var index = 0
        while index < characters.count {
            guard let pair = pairs.first(where: { $0.0 == characters[index] }),
                let close = characters[(index + 1)...].firstIndex(of: pair.1)
            else {
                index += 1
                continue
            }
            let content = String(characters[(index + 1)..<close]).trimmingCharacters(in: .whitespaces)
            let before = String(characters[..<index]).split(whereSeparator: \.isWhitespace).last.map {
                String($0).folded
            }
            if !content.isEmpty, !content.contains(" "), content.count <= 120 {
                found.append(
                    QuotedName(
                        name: content.uppercased(), written: String(characters[index...close]),
                        afterStreamWord: before.map(isStreamWord) ?? false))
            }
            index = close + 1
        }
        return found
    }

    static func isStreamWord(_ word: String) -> Bool {
        ["stream", "jobstream", "fluxo", "streams", "jobstreams"].contains(word)
    }

    static func isArticle(_ word: String) -> Bool {
        ["o", "do", "da", "the", "de", "no"].contains(word)
    }

    /// Letters, digits, `_`, `-` and HWA wildcards, with at least one letter.
    static func isNameShaped(_ token: String, loose: Bool) -> Bool {
        guard token.contains(where: \.isLetter) else { return false }
        return token.allSatisfy { $0.isLetter || $0.isNumber || "_-*@?".contains($0) } && (loose || token.count >= 3)
    }

    static func isUpperCaseName(_ token: String) -> Bool {
        guard isNameShaped(token, loose: false), token == token.uppercased(), token.count >= 3 else { return false }
        if Vocabulary.notJobNames.contains(token) { return false }
        let hasMarker = token.contains { $0 == "_" || $0.isNumber || "*@".contains($0) }
        return hasMarker || (token.count >= 4 && token.allSatisfy(\.isLetter))
    }

    static func isLowerCaseName(_ token: String) -> Bool {
        isNameShaped(token, loose: false) && token.contains("_") && token != token.uppercased()
    }

    static func isVocabularyWord(_ word: String) -> Bool {
        Vocabulary.portugueseWords.contains(word) || Vocabulary.englishWords.contains(word)
    }

    // Built once: a regex literal is compiled again every time it is evaluated, and these run per token. A built
    // `Regex` is immutable (see ErrorCode.Patterns), hence `nonisolated(unsafe)`.
    nonisolated(unsafe) static let windowToken = #/\d+(h|m|d|min|hs|hrs)/#.ignoresCase()
    nonisolated(unsafe) static let returnCodeToken = #/RC[=:]?\d*/#
    nonisolated(unsafe) static let systemAbendToken = #/S[0-9A-F]{3}/#
    nonisolated(unsafe) static let userAbendToken = #/U\d{4}/#
    nonisolated(unsafe) static let returnCodeInText = #/\bRC\s*[=:]?\s*(\d{1,4})\b/#
    nonisolated(unsafe) static let returnCodeWords =
        #/(?:return code|exit code|codigo de retorno|cod\.? retorno|retorno)\s*[=:]?\s*(\d{1,4})\b/#
    nonisolated(unsafe) static let systemAbendInText = #/\b(S[0-9A-F]{3})\b/#
    nonisolated(unsafe) static let userAbendInText = #/\b(U\d{4})\b/#

    static func isWindowToken(_ token: String) -> Bool {
        token.wholeMatch(of: windowToken) != nil
    }

    static func isErrorCode(_ token: String) -> Bool {
        let upper = token.uppercased()
        return upper.wholeMatch(of: returnCodeToken) != nil
            || upper.wholeMatch(of: systemAbendToken) != nil
                && upper.contains(where: \.isNumber)
            || upper.wholeMatch(of: userAbendToken) != nil
    }

    /// `RC=12` for a return code, `S0C4`/`U4038` for system/user abends, `ABEND` when only the word is used.
    static func errorCode(in question: String) -> String? {
        let upper = question.uppercased()
        if let match = upper.firstMatch(of: returnCodeInText) { return "RC=\(match.1)" }
        let folded = question.folded
        if let match = folded.firstMatch(of: returnCodeWords) {
            return "RC=\(match.1)"
        }
        if let match = upper.firstMatch(of: systemAbendInText), match.1.contains(where: \.isNumber) {
            return String(match.1)
        }
        if let match = upper.firstMatch(of: userAbendInText) { return String(match.1) }
        if folded.contains("abend") { return "ABEND" }
        return nil
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
