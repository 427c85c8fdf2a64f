import Foundation
import ResyncCore

/// Reads time windows: "3h", "últimas 2 horas", "30 min", "2 dias", hoje/today, ontem/yesterday,
/// "desde as 14h"/"since 2pm"/"since 14:30" (a clock time in the configured zone).
///
/// Labels are canonical (`3h`, `30m`, `2d`, `today`, `yesterday`, `since 14:00`, `since yesterday`); renderers
/// translate them.
enum WindowParser {
    static func parse(_ question: String, now: Date, timeZone: TimeZone) -> TimeWindow? {
        let text = question.folded
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if let window = clockWindow(text, now: now, calendar: calendar) { return window }
        if let window = durationWindow(text, now: now) { return window }
        return namedWindow(text, now: now, calendar: calendar)
    }

    /// "desde as 14h", "since 2pm", "since 14:30", "a partir das 9h".
    nonisolated(unsafe) static let clockPattern =
        #/(?:desde|since|a partir d[ae]s?|after|apos|depois d[ae]s?)\s+(as\s+|a\s+|das\s+|the\s+)?(\d{1,2})(?::(\d{2}))?\s*(hs|hrs|horas|h|am|pm)?(\s+atras|\s+ago)?\b/#

    static func clockWindow(_ text: String, now: Date, calendar: Calendar) -> TimeWindow? {
        guard let match = text.firstMatch(of: clockPattern), var hour = Int(match.2) else { return nil }
        let minute = match.3.flatMap { Int($0) } ?? 0
        let unit = match.4.map(String.init)
        let isClock =
            match.5 == nil && (match.1 != nil || match.3 != nil || unit == "am" || unit == "pm" || unit == nil)
        guard isClock else { return nil }
        if unit == "pm", hour < 12 { hour += 12 }
        if unit == "am", hour == 12 { hour = 0 }
        guard hour < 24, minute < 60,
            var start = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: now)
        else { return nil }
        if start > now { start = calendar.date(byAdding: .day, value: -1, to: start) ?? start }
        let label = "since " + String(format: "%02d:%02d", hour, minute)
        return TimeWindow(start: start, label: label)
    }

    /// "3h", "últimas 2 horas", "30 min", "2 dias", "since 2h", "há 45 minutos".
    nonisolated(unsafe) static let durationPattern =
        #/\b(\d{1,3})\s*(minutos|minuto|minutes|minute|mins|min|m|horas|hora|hours|hour|hrs|hr|hs|h|dias|dia|days|day|d)\b/#

    static func durationWindow(_ text: String, now: Date) -> TimeWindow? {
        guard let match = text.firstMatch(of: durationPattern), let amount = Int(match.1), amount > 0 else {
            return wordDuration(text, now: now)
        }
        let unit = String(match.2)
        let (seconds, suffix): (Double, String) =
            switch unit.first {
            case "m": (60, "m")
            case "d": (86_400, "d")
            default: (3_600, "h")
            }
        return TimeWindow(start: now.addingTimeInterval(-Double(amount) * seconds), label: "\(amount)\(suffix)")
    }

    static func wordDuration(_ text: String, now: Date) -> TimeWindow? {
        let folded = FoldedText(text)
        if folded.containsAny(["ultima hora", "last hour", "past hour", "uma hora"]) {
            return TimeWindow(start: now.addingTimeInterval(-3_600), label: "1h")
        }
        if folded.containsAny(["ultima semana", "last week", "past week", "semana passada", "this week", "essa semana"])
        {
            return TimeWindow(start: now.addingTimeInterval(-7 * 86_400), label: "7d")
        }
        return nil
    }

    /// hoje/today, ontem/yesterday, desde ontem/since yesterday.
    static func namedWindow(_ text: String, now: Date, calendar: Calendar) -> TimeWindow? {
        let folded = FoldedText(text)
        let today = calendar.startOfDay(for: now)
        if folded.containsAny(["desde ontem", "since yesterday", "a partir de ontem"]) {
            let start = calendar.date(byAdding: .day, value: -1, to: today) ?? today
            return TimeWindow(start: start, label: "since yesterday")
        }
        if folded.containsAny(["ontem", "yesterday", "last night", "ontem a noite"]) {
            let start = calendar.date(byAdding: .day, value: -1, to: today) ?? today
            return TimeWindow(start: start, end: today, label: "yesterday")
        }
        if folded.containsAny([
            "hoje", "today", "hj", "this morning", "hoje cedo", "nesta madrugada", "essa madrugada", "de madrugada",
            "tonight",
        ]) {
            return TimeWindow(start: today, label: "today")
        }
        return nil
    }

    nonisolated(unsafe) static let lineCountPattern = #/\b(\d+)\s*(?:ultimas\s+)?(?:linhas|lines|linha|line)\b/#

    /// "últimas 50 linhas", "last 20 lines", "50 lines".
    static func lineCount(_ question: String) -> Int? {
        let text = question.folded
        if let match = text.firstMatch(of: lineCountPattern) {
            return lineCount(digits: match.1)
        }
        return nil
    }

    /// A line count as asked for; nil, which means the default, for 0 or a number too long to be one. The slash
    /// grammar and free text read counts alike; the agent caps a large one at its maximum.
    static func lineCount(digits: some StringProtocol) -> Int? {
        guard let count = Int(digits), count > 0 else { return nil }
        return count
    }
}
