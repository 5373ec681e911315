/// Keeps a spreadsheet from running text as a formula (CSV injection), by OWASP's rule: a
/// cell that starts with `=`, `+`, `-`, `@`, a tab (0x09) or a carriage return (0x0D) gets
/// a single quote (`'`) in front, which spreadsheets read as "this is text". Only the first
/// character counts: a cell that starts with a space, or holds `=` further on, is left as it
/// is. CSV quoting applies to the result as to any other cell.
public enum SpreadsheetFormula {
    /// Whether a spreadsheet would read `cell` as a formula: it starts with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return.
    public static func startsFormula(_ cell: String) -> Bool {
        guard let first = cell.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

    /// `cell` with a `'` in front when it starts a formula; otherwise `cell` unchanged.
    public static func neutralized(_ cell: String) -> String {
        startsFormula(cell) ? "'" + cell : cell
    }
}
