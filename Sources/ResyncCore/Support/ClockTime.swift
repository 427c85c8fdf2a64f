import Foundation

/// `HH:MM` of a date in a zone, with or without the zone's label: what answers and alerts print.
public enum ClockTime {
    public static func text(_ date: Date, in zone: TimeZone, labelled: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let clock = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return labelled ? clock + " " + label(of: zone, at: date) : clock
    }

    /// `2026-11-26 03:12:00 GMT-3`: a full date and time in `zone`, with the zone's label.
    public static func dateTime(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let text = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        return text + " " + label(of: zone, at: date)
    }

    /// "UTC", or the zone's abbreviation at `date` ("GMT-3" for America/Sao_Paulo on Linux), else its name.
    public static func label(of zone: TimeZone, at date: Date) -> String {
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu"].contains(zone.identifier) { return "UTC" }
        return zone.abbreviation(for: date) ?? zone.identifier
    }
}
