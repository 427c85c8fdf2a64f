import Agent
import Foundation
import ResyncCore

/// The `since` of `GET /api/failures`, read strictly in the documented forms: `30m`, `3h`, `2d` (a whole number
/// of minutes, hours or days, at most `maximumDays`), `today`, `yesterday`, `since 14:00`. Absent or empty is
/// the default window. The question parser is not used on it: it finds a window anywhere in a sentence, which
/// read `-3h`, `abc 3h` and `3hours` as 3h.
struct FailureWindow {
    static let maximumDays = 7

    let parser: QuestionParser
    let defaultWindow: Duration

    func window(_ since: String?, now: Date) throws(AgentRequestError) -> TimeWindow {
        // A form-encoded space arrives as `+` (`since=since+14:00`).
        let text = (since ?? "").replacingOccurrences(of: "+", with: " ").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            return TimeWindow(
                start: now.addingTimeInterval(-defaultWindow.inSeconds), label: TimeWindow.label(for: defaultWindow))
        }
        if let match = text.wholeMatch(of: Self.duration) {
            return try duration(amount: match.1, unit: match.2, text: text, now: now)
        }
        let lowered = text.lowercased()
        guard ["today", "yesterday"].contains(lowered) || Self.isClockTime(lowered),
            let window = parser.window(lowered, now: now)
        else { throw .unreadableSince(text) }
        return window
    }

    nonisolated(unsafe) static let duration = #/([0-9]{1,9})([mhdMHD])/#
    nonisolated(unsafe) static let clock = #/since +([0-9]{1,2}):([0-9]{2})/#

    func duration(amount: Substring, unit: Substring, text: String, now: Date) throws(AgentRequestError)
        -> TimeWindow
    {
        let unit = unit.lowercased()
        let seconds: Double =
            switch unit {
            case "m": 60
            case "h": 3_600
            default: 86_400
            }
        guard let amount = Int(amount), amount > 0 else { throw .unreadableSince(text) }
        guard Double(amount) * seconds <= Double(Self.maximumDays * 86_400) else { throw .sinceTooLarge(text) }
        return TimeWindow(start: now.addingTimeInterval(-Double(amount) * seconds), label: "\(amount)\(unit)")
    }

    static func isClockTime(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: clock), let hour = Int(match.1), let minute = Int(match.2) else {
            return false
        }
        return hour < 24 && minute < 60
    }
}
