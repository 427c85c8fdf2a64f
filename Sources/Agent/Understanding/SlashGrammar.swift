import Foundation
import ResyncCore

/// The short command forms every platform accepts, in English and Portuguese:
/// `status JOB`, `failed [WINDOW]` / `falhas 3h`, `health` / `saude`, `stream NAME`, `log JOB [N]`,
/// `why JOB` / `por que JOB`, `kb TEXT`, `learn TEXT` / `aprender TEXT`, `help` / `ajuda`.
enum SlashGrammar {
    static let commands: [String: Intent] = [
        "status": .jobStatus, "failed": .failedJobs, "failures": .failedJobs, "falhas": .failedJobs,
        "health": .healthSummary, "saude": .healthSummary, "stream": .jobStreamStatus,
        "jobstream": .jobStreamStatus, "log": .jobLog, "why": .whyWaiting, "porque": .whyWaiting,
        "kb": .knowledge, "help": .help, "ajuda": .help, "learn": .learn, "aprender": .learn, "aprenda": .learn,
    ]

    /// The parsed command, or nil when the text does not have a command's exact shape.
    static func parse(_ text: String, language: Language, now: Date, timeZone: TimeZone) -> ParsedQuestion? {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first?.folded else { return nil }
        var command = first
        words.removeFirst()
        if first == "por", words.first?.folded == "que" {
            command = "porque"
            words.removeFirst()
        }
        guard let intent = commands[command] else { return nil }
        let arguments = words.map { $0.trimmingCharacters(in: NameExtractor.trimmedSet) }.filter { !$0.isEmpty }
        var parsed = ParsedQuestion(intent: intent, language: language)
        switch intent {
        case .help, .healthSummary:
            return arguments.isEmpty ? parsed : nil
        case .failedJobs:
            guard arguments.count <= 2 else { return nil }
            if !arguments.isEmpty {
                guard let window = WindowParser.parse(arguments.joined(separator: " "), now: now, timeZone: timeZone)
                else { return nil }
                parsed.window = window
            }
            return parsed
        case .jobStatus, .whyWaiting, .jobStreamStatus:
            guard arguments.count == 1, let name = jobName(arguments[0]) else { return nil }
            if intent == .jobStreamStatus { parsed.jobStream = name } else { parsed.jobName = name }
            return parsed
        case .jobLog:
            guard (1...2).contains(arguments.count), let name = jobName(arguments[0]) else { return nil }
            parsed.jobName = name
            if arguments.count == 2 {
                guard arguments[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                parsed.lineCount = WindowParser.lineCount(digits: arguments[1])
            }
            return parsed
        case .knowledge:
            guard !arguments.isEmpty else { return nil }
            let text = words.joined(separator: " ")
            let names = NameExtractor.extract(text)
            parsed.text = text
            parsed.jobName = names.jobs.first
            parsed.jobStream = names.streams.first
            parsed.errorCode = names.errorCode
            return parsed
        case .learn:
            // Any text (even none): the chat core learns it inside a thread; elsewhere the answer explains how.
            parsed.text = words.joined(separator: " ")
            return parsed
        default:
            return nil
        }
    }

    /// A command argument as a job name: any name-shaped word, a folder path or `WS#STREAM.JOB`.
    static func jobName(_ argument: String) -> String? {
        let folded = argument.folded
        guard !Vocabulary.notNameWords.contains(folded),
            !NameExtractor.isVocabularyWord(folded) || argument.contains("_")
        else { return nil }
        let allowed = argument.allSatisfy { $0.isLetter || $0.isNumber || "_-*@?/#.".contains($0) }
        return allowed && argument.contains(where: \.isLetter) ? argument.uppercased() : nil
    }
}

extension NameExtractor {
    static var trimmedSet: CharacterSet { CharacterSet(charactersIn: "?,!:;()[]{}<>\"'`“”‘’") }
}
