import Foundation
import ResyncCore

/// Deterministic understanding of an operator's question in Portuguese or English: slash grammar first,
/// then free text by keyword cues. Never calls anything outside the process.
public struct QuestionParser: Sendable {
    /// Zone for "today", "since 2pm" and the like.
    public var timeZone: TimeZone
    /// Language used when neither the question nor the context tells it.
    public var defaultLanguage: Language

    public init(timeZone: TimeZone = .gmt, defaultLanguage: Language = .portuguese) {
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
    }

    /// Questions are read up to this many characters. An operator's question is a line or two; the parser's
    /// matching is not linear in the length, and a 52,000-character message (found by `make reliability`'s
    /// fuzzer) kept it busy for minutes.
    public static let maximumQuestionCharacters = 2_000

    public func parse(_ question: String, context: QuestionContext = QuestionContext(), now: Date) -> ParsedQuestion {
        let cleaned = Self.stripAddressing(String(question.prefix(Self.maximumQuestionCharacters)))
        let names = NameExtractor.extract(cleaned)
        // Names do not vote: `cancel` in CANCEL_ORDERS says nothing about the operator's language.
        let unnamed = names.textWithoutNames
        let language =
            LanguageDetector.detect(unnamed, folded: FoldedText(unnamed)) ?? context.preferredLanguage
            ?? defaultLanguage
        guard !FoldedText(cleaned).words.isEmpty else { return ParsedQuestion(intent: .help, language: language) }
        let command = SlashGrammar.parse(cleaned, language: language, now: now, timeZone: timeZone)
        var parsed = command ?? freeText(cleaned, names: names, language: language, now: now)
        Self.resolveFollowUp(&parsed, threadJob: context.threadJobName, isCommand: command != nil)
        return parsed
    }

    /// In a thread, "e o log?" and "e o responsável?" are about the thread's job: a job question without a job,
    /// and a knowledge question naming no job, stream or error code of its own. `kb TEXT` searches what it says.
    static func resolveFollowUp(_ parsed: inout ParsedQuestion, threadJob: String?, isCommand: Bool) {
        if parsed.jobName == nil, [.jobStatus, .jobLog, .whyWaiting].contains(parsed.intent) {
            parsed.jobName = threadJob
            if parsed.jobName == nil { parsed.intent = .unknown }
        }
        let namesNothing = parsed.jobName == nil && parsed.jobStream == nil && parsed.errorCode == nil
        if parsed.intent == .knowledge, namesNothing, !isCommand { parsed.jobName = threadJob }
    }

    func freeText(_ question: String, names: ExtractedNames, language: Language, now: Date) -> ParsedQuestion {
        let window = WindowParser.parse(question, now: now, timeZone: timeZone)
        var parsed = ParsedQuestion(
            intent: .unknown, language: language, jobName: names.jobs.first, jobStream: names.streams.first,
            window: window, text: question, errorCode: names.errorCode)
        // Keywords are read without the names: `BKP_LOG_SHIP` asks for no log, `CANCEL_ORDERS` cancels nothing.
        let keywords = FoldedText(names.textWithoutNames)
        parsed.intent = Self.intent(
            folded: keywords, names: names, hasWindow: window != nil, isQuestion: question.contains("?"))
        if parsed.intent == .jobLog { parsed.lineCount = WindowParser.lineCount(question) }
        if parsed.intent == .jobLog, parsed.window?.label.hasSuffix("m") == false { parsed.window = nil }
        return parsed
    }

    /// The cue order matters: a write request is caught before anything else, advice ("how do I fix")
    /// before status words, and a named job before environment-wide words.
    static func intent(folded: FoldedText, names: ExtractedNames, hasWindow: Bool, isQuestion: Bool) -> Intent {
        let hasJob = !names.jobs.isEmpty
        let hasStream = !names.streams.isEmpty
        let failure = folded.containsAny(Vocabulary.failurePhrases)
        if isWriteRequest(folded, isQuestion: isQuestion) { return .writeRequest }
        if isHelp(folded, hasNames: hasJob || hasStream) { return .help }
        if folded.containsAny(Vocabulary.knowledgePhrases) { return .knowledge }
        if folded.containsAny(Vocabulary.logPhrases), hasJob || !failure { return .jobLog }
        if folded.containsAny(Vocabulary.whyPhrases) || folded.containsAny(Vocabulary.waitingPhrases) {
            if hasJob { return failure ? .jobStatus : .whyWaiting }
        }
        if folded.containsAny(Vocabulary.streamPhrases), hasStream, !hasJob, !failure { return .jobStreamStatus }
        if failure, !hasJob { return .failedJobs }
        if folded.containsAny(Vocabulary.healthPhrases), !hasJob, !hasStream { return .healthSummary }
        if hasJob { return .jobStatus }
        if hasStream { return .jobStreamStatus }
        if names.errorCode != nil { return .knowledge }
        if folded.containsAny(Vocabulary.statusPhrases), !hasWindow { return .jobStatus }
        return .unknown
    }

    static func isWriteRequest(_ folded: FoldedText, isQuestion: Bool) -> Bool {
        var words = folded.words
        var stripped = true
        while stripped {
            stripped = false
            let joined = words.joined(separator: " ")
            for prefix in Vocabulary.politePrefixes where joined == prefix || joined.hasPrefix(prefix + " ") {
                words.removeFirst(prefix.split(separator: " ").count)
                stripped = true
                break
            }
        }
        let rest = FoldedText(words.joined(separator: " "))
        let imperative = words.first.map { Vocabulary.writeVerbs.contains($0) } ?? false
        // Opening the request, a state setter is an imperative, and its "como" means "as", not "how".
        if setsAState(words) { return true }
        let phrased = rest.containsAny(Vocabulary.writePhrases) || namesAWriteAction(words)
        let putOnHold =
            ["coloque", "ponha", "colocar", "deixe", "put", "place"].contains(words.first ?? "")
            && words.contains("hold")
        let anywhere =
            putOnHold
            || words.indices.contains { index in
                Vocabulary.writeVerbsAnywhere.contains(words[index])
                    && (index == 0 || !Vocabulary.nounMarkers.contains(words[index - 1]))
            }
        guard imperative || phrased || anywhere else { return false }
        if !imperative, asksWhetherItWasDone(words, isQuestion: isQuestion) { return false }
        // "how do I rerun…", "who can cancel…", "should I rerun…" ask for advice, not for an action.
        return !rest.containsAny(Vocabulary.adviceCues)
    }

    /// "faz o rerun do X", "dá um kill no X", "give it a restart": a light verb with a write noun, article or not.
    static func namesAWriteAction(_ words: [String]) -> Bool {
        words.indices.contains { index in
            guard Vocabulary.lightVerbs.contains(words[index]) else { return false }
            let noun = words[(index + 1)...].first { !["o", "a", "um", "uma", "it", "him"].contains($0) }
            return noun.map(Vocabulary.writeNouns.contains) ?? false
        }
    }

    /// "set JOB_C to ready", "mark X as complete", "muda o X para SUCC": a request opening with a verb that sets a
    /// state, and a state to set.
    static func setsAState(_ words: [String]) -> Bool {
        guard let first = words.first, Vocabulary.stateSetters.contains(first) else { return false }
        return words.dropFirst().contains { Vocabulary.settableStates.contains($0) }
    }

    /// "did someone rerun X?", "alguém deu rerun no X?", "was X put on hold?" ask what happened, which the job's
    /// status (it shows the runs) answers. Walking back from the first write word, a past-tense cue has to come
    /// before any request word: "foi cancelado, pode reexecutar?" still asks for a rerun. Without a question mark
    /// only an English question opening with its auxiliary counts, so "dei rerun no X" stays chatter.
    static func asksWhetherItWasDone(_ words: [String], isQuestion: Bool) -> Bool {
        guard isQuestion || Vocabulary.pastAuxiliaries.contains(words.first ?? "") else { return false }
        let isWriteWord = { (word: String) in
            Vocabulary.writeVerbs.contains(word) || Vocabulary.writeVerbsAnywhere.contains(word)
        }
        guard let verb = words.firstIndex(where: isWriteWord) else { return false }
        for word in words[..<verb].reversed() {
            if Vocabulary.requestWords.contains(word) { return false }
            if Vocabulary.pastAuxiliaries.contains(word) || Vocabulary.pastTenseCues.contains(word) { return true }
        }
        return false
    }

    static func isHelp(_ folded: FoldedText, hasNames: Bool) -> Bool {
        guard !hasNames else { return false }
        if folded.words.count <= 4, folded.containsAny(Vocabulary.helpPhrases) { return true }
        return folded.containsAny([
            "o que voce faz", "o que voce sabe fazer", "what can you do", "como te uso", "how do i use you",
            "quais comandos", "which commands", "what commands",
        ])
    }

    nonisolated(unsafe) static let mention = #/<@[A-Za-z0-9_.\-]+>/#

    /// Removes a leading `/resync`, `resync:`, `@resync` or a Slack/Mattermost mention.
    static func stripAddressing(_ question: String) -> String {
        var text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        text = text.replacing(mention, with: "")
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in ["/resync", "@resync", "resync:", "resync,", "resync "] where text.folded.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
            break
        }
        return text.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ":,")))
    }
}

extension QuestionParser {
    /// A window written on its own (`3h`, `30m`, `2d`, `today`, `hoje`, `since 14:00`), as the API takes it.
    public func window(_ text: String, now: Date) -> TimeWindow? {
        WindowParser.parse(text.trimmingCharacters(in: .whitespaces), now: now, timeZone: timeZone)
    }
}

extension QuestionParser {
    /// True when `text` could be a job name: a plain name, wildcard, folder path or `WS#STREAM.JOB`.
    public static func isJobName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 200 && text.contains(where: \.isLetter)
            && text.allSatisfy { $0.isLetter || $0.isNumber || "_-*@?/#.".contains($0) }
    }
}
