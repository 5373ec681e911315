import Testing
@testable import SyndicCore

struct CSVReaderTests {
    @Test(arguments: [
        ("a,b\nc,d\n", [["a", "b"], ["c", "d"]]),
        ("a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]),
        ("a,b\rc,d\r", [["a", "b"], ["c", "d"]]),
        ("a,b\r\nc,d\ne,f\rg,h", [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]),
        ("\u{FEFF}sku,title\nA,x\n", [["sku", "title"], ["A", "x"]]),
        ("a,b", [["a", "b"]]),
        ("a,,c,\n", [["a", "", "c", ""]]),
        (",\n", [["", ""]]),
        ("\"a,b\",c\n", [["a,b", "c"]]),
        ("\"say \"\"hi\"\"\",x\n", [["say \"hi\"", "x"]]),
        ("\"\"\"\"\n", [["\""]]),
        ("\"\",x\n", [["", "x"]]),
        ("\"\"\n", [[""]]),
        ("\"line1\nline2\",x\n", [["line1\nline2", "x"]]),
        ("\"crlf\r\ninside\"\r\n", [["crlf\r\ninside"]]),
        ("a\"b,c\"\n", [["a\"b", "c\""]]),
        ("5\" screen,x\n", [["5\" screen", "x"]]),
        ("\"unterminated,x\ny", [["unterminated,x\ny"]]),
        ("Légère,😀\n", [["Légère", "😀"]]),
        ("", []),
        ("\n\r\n\r", []),
    ])
    func readsRows(_ text: String, _ rows: [[String]]) {
        #expect(CSVReader.rows(text) == rows)
    }

    @Test func semicolonSeparator() {
        #expect(CSVReader.rows("sku;price\nA;\"7,50\";\"x;y\"\n", separator: ";") == [["sku", "price"], ["A", "7,50", "x;y"]])
        #expect(CSVReader.rows("a,b;c\n", separator: ";") == [["a,b", "c"]])
    }

    @Test func blankLinesAreSkippedButCounted() {
        let rows = CSVReader.read("a,b\n\n\r\nc,d\n\n")
        #expect(rows == [CSVReader.Row(line: 1, fields: ["a", "b"]), CSVReader.Row(line: 4, fields: ["c", "d"])])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func linesAfterAMultiLineFieldAreNumberedRight(_ newline: String) {
        let text = ["h1,h2", "\"first\(newline)second\(newline)third\",x", "next,row", "\"a\"\"\(newline)b\",y", "last,z"]
            .joined(separator: newline)
        let rows = CSVReader.read(text)
        #expect(rows.map(\.line) == [1, 2, 5, 6, 8])
        #expect(rows[1].fields == ["first\(newline)second\(newline)third", "x"])
        #expect(rows[3].fields == ["a\"\(newline)b", "y"])
        #expect(rows[4].fields == ["last", "z"])
    }

    @Test func byteOrderMarkOnlyAtTheStartIsDropped() {
        #expect(CSVReader.rows("\u{FEFF}a\n\u{FEFF}b") == [["a"], ["\u{FEFF}b"]])
    }
}
