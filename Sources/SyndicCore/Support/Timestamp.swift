import Foundation

/// ISO 8601 timestamps with a zone's offset (`2026-11-24T02:30:00+01:00`, `…Z` for UTC).
///
/// Formatted by hand from the civil calendar: plans print thousands of fire times and a
/// date formatter per call would dominate planning time.
public enum Timestamp {
    /// `date` in `zone`, to the second.
    public static func iso(_ date: Date, zone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = zone.secondsFromGMT(for: date)
        let local = seconds + offset
        let days = CivilCalendar.floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        out += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if offset == 0 && zone.identifier == "UTC" || offset == 0 && zone.identifier == "GMT" { return out + "Z" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return out + sign + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
    }

    /// `date` in the zone named `identifier` (UTC when unknown).
    public static func iso(_ date: Date, zone identifier: String) -> String {
        iso(date, zone: TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
