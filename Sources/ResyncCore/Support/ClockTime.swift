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

    /// "UTC", or the zone's abbreviation at `date` ("GMT-3" for America/Sao_Paulo on Linux), else its name.
    public static func label(of zone: TimeZone, at date: Date) -> String {
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Universal", "Zulu"].contains(zone.identifier) { return "UTC" }
        return zone.abbreviation(for: date) ?? zone.identifier
    }
}
