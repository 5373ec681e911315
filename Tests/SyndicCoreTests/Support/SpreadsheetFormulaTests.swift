import Testing
@testable import SyndicCore

/// OWASP's rule against CSV injection: a cell that starts with `=`, `+`, `-`, `@`, tab or
/// CR gets a `'` in front; nothing else changes.
struct SpreadsheetFormulaTests {
    @Test(arguments: [
        // Each trigger character.
        ("=HYPERLINK(\"http://x.example\",\"click\")", "'=HYPERLINK(\"http://x.example\",\"click\")"),
        ("+33 4 72 00 00 00", "'+33 4 72 00 00 00"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        // One character alone.
        ("=", "'="),
        ("-", "'-"),
        // A leading space, or a trigger further on: left as it is.
        (" =1+1", " =1+1"),
        ("a=b", "a=b"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("contact@example.com", "contact@example.com"),
        ("\n=1+1", "\n=1+1"),
        // Already a quote, an empty cell, plain text.
        ("'=1", "'=1"),
        ("", ""),
        ("13 place Aristide Briand", "13 place Aristide Briand"),
        ("Ñúñez", "Ñúñez"),
        // Look-alikes that are not the ASCII characters.
        ("\u{FF1D}1", "\u{FF1D}1"),
        ("\u{2212}1", "\u{2212}1"),
    ])
    func neutralizesCellsThatStartAFormula(_ cell: String, _ expected: String) {
        #expect(SpreadsheetFormula.neutralized(cell) == expected)
        #expect(SpreadsheetFormula.startsFormula(cell) == (cell != expected))
    }

    /// The CSV quoting still applies to the escaped cell; a cell in the middle of a row is
    /// escaped like the first.
    @Test func theEscapedCellIsQuotedAsCSVSays() {
        var writer = CSVWriter()
        writer.writeRow(["A-1", SpreadsheetFormula.neutralized("=1+2,\"x\""), SpreadsheetFormula.neutralized("\rline"), "last"])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "A-1,\"'=1+2,\"\"x\"\"\",\"'\rline\",last\r\n")
    }
}
