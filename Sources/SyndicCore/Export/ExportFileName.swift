import Foundation

/// File names of exported files (one convention for order and product exports):
/// `products_export_<channel>_<isoDate>.csv`, the ISO date in UTC with `-` for `:` and four
/// decimals of seconds, such as `2025-04-11T15-37-34.5132`.
public enum ExportFileName {
    /// The file name of a product export of `channel` at `date`.
    public static func products(channel: String, at date: Date) -> String {
        "products_export_\(channel)_\(isoDate(date)).csv"
    }

    /// `2025-04-11T15-37-34.5132` (UTC).
    public static func isoDate(_ date: Date) -> String {
        // Whole microseconds first, so that 05.06 (stored as 05.05999…) reads .0600.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let wholeSeconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let whole = Double(wholeSeconds)
        let fraction = Int((micros - wholeSeconds * 1_000_000) / 100)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let digits = String(fraction)
        return "\(parts.year ?? 1970)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour))-\(two(parts.minute))-\(two(parts.second))."
            + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
