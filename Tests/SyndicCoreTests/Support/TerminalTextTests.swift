import Testing
@testable import SyndicCore

/// Control characters in marketplace text show as U+FFFD instead of acting on the terminal.
struct TerminalTextTests {
    @Test(arguments: [
        // ESC sequences: colour, window title (ended by BEL), clear screen.
        ("\u{1B}[31mred\u{1B}[0m", "\u{FFFD}[31mred\u{FFFD}[0m"),
        ("J\u{1B}]0;pwned\u{07}", "J\u{FFFD}]0;pwned\u{FFFD}"),
        ("\u{1B}[2J", "\u{FFFD}[2J"),
        // A carriage return that would overwrite the line, NUL, backspace, form feed.
        ("paid\rREFUNDED", "paid\u{FFFD}REFUNDED"),
        ("a\u{00}b\u{08}c\u{0C}d", "a\u{FFFD}b\u{FFFD}c\u{FFFD}d"),
        // DEL and the C1 controls (CSI U+009B), but not U+00A0 and after.
        ("x\u{7F}y", "x\u{FFFD}y"),
        ("\u{80}\u{9B}31m\u{9F}", "\u{FFFD}\u{FFFD}31m\u{FFFD}"),
        ("\u{A0}é€😀", "\u{A0}é€😀"),
        // Text without controls is returned as it is.
        ("Jérôme N'Diaye", "Jérôme N'Diaye"),
        ("", ""),
    ])
    func controlCharactersAreReplaced(_ text: String, _ expected: String) {
        #expect(TerminalText.safe(text) == expected)
        #expect(TerminalText.safeLine(text) == expected)
    }

    /// Tabs and line feeds: kept for text laid out over lines, spaces on one line.
    @Test func tabsAndLineFeedsKeepTheLayoutOrBecomeSpaces() {
        #expect(TerminalText.safe("a\tb\nc\r\nd") == "a\tb\nc\u{FFFD}\nd")
        #expect(TerminalText.safeLine("a\tb\nc\r\nd") == "a b c\u{FFFD} d")
        #expect(TerminalText.safeLine("Anne\nMarie") == "Anne Marie")
    }
}
