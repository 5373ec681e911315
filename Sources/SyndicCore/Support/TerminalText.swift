/// Text from a marketplace, a PIM or a partner made safe to print on a terminal: control
/// characters that a terminal would act on (escape sequences that recolour, retitle, clear
/// the screen or move the cursor; a carriage return that overwrites a line; a bell) are
/// replaced with U+FFFD, so that they show instead of acting.
///
/// Replaced: the C0 controls U+0000–U+001F (ESC among them) but the tab and the line feed,
/// DEL (U+007F) and the C1 controls U+0080–U+009F. Everything else, accents and emoji
/// included, is kept.
public enum TerminalText {
    /// What a control character shows as.
    public static let placeholder: Unicode.Scalar = "\u{FFFD}"

    /// `text` with its control characters replaced; tabs and line feeds are kept (for text
    /// laid out over several lines: a run report, an error).
    public static func safe(_ text: String) -> String {
        replacing(text, keepLayout: true)
    }

    /// `text` fit for one line (a table cell, a `name:` line): its control characters
    /// replaced, and a tab or a line feed replaced with a space, so that text cannot break the
    /// layout or add lines of its own.
    public static func safeLine(_ text: String) -> String {
        replacing(text, keepLayout: false)
    }

    private static func replacing(_ text: String, keepLayout: Bool) -> String {
        func replacement(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
            switch scalar.value {
            case 0x09, 0x0A: return keepLayout ? nil : Unicode.Scalar(UInt8(ascii: " "))
            case 0x00...0x1F, 0x7F...0x9F: return placeholder
            default: return nil
            }
        }
        guard text.unicodeScalars.contains(where: { replacement($0) != nil }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(replacement(scalar) ?? scalar) }
        return String(scalars)
    }
}
