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
        // One at a time, the same rows, then nothing however often it is asked again.
        var iterator = CSVReader.Rows(Array(text.utf8))
        var read: [CSVReader.Row] = []
        while let row = iterator.next() { read.append(row) }
        #expect(read == CSVReader.read(text))
        #expect(iterator.next() == nil && iterator.next() == nil)
    }

    @Test func semicolonSeparator() {
        #expect(CSVReader.rows("sku;price\nA;\"7,50\";\"x;y\"\n", separator: ";") == [["sku", "price"], ["A", "7,50", "x;y"]])
        #expect(CSVReader.rows("a,b;c\n", separator: ";") == [["a,b", "c"]])
    }

    @Test func blankLinesAreSkippedButCounted() {
        let rows = CSVReader.read("a,b\n\n\r\nc,d\n\n")
        #expect(rows == [CSVReader.Row(line: 1, fields: ["a", "b"], bytes: 0..<3, lineEnd: 3..<4),
                         CSVReader.Row(line: 4, fields: ["c", "d"], bytes: 7..<10, lineEnd: 10..<11)])
    }

    // MARK: - Byte ranges

    /// Each row knows its bytes as they came (quoting, line breaks inside quotes, fields
    /// beyond the others, bytes that are not UTF-8) and its own line end.
    @Test func eachRowKnowsItsBytesAndItsLineEnd() {
        let latin1: [UInt8] = [UInt8(ascii: "x"), 0xE9, UInt8(ascii: ","), UInt8(ascii: "y")]
        var input: [UInt8] = CSVReader.byteOrderMark
        input += Array("h1,h2\r\n".utf8)
        input += Array("\"a\r\nb\",c,extra\n".utf8)
        input += latin1
        input.append(0x0D)
        input += Array("\r\nlast,row".utf8)
        let rows = CSVReader.read(input)
        #expect(rows.map(\.line) == [1, 2, 4, 6])
        #expect(rows.map(\.fields) == [["h1", "h2"], ["a\r\nb", "c", "extra"], ["x\u{FFFD}", "y"], ["last", "row"]])
        #expect(rows.map { Array(input[$0.bytes]) }
                == [Array("h1,h2".utf8), Array("\"a\r\nb\",c,extra".utf8), latin1, Array("last,row".utf8)])
        #expect(rows.map { Array(input[$0.lineEnd]) } == [[0x0D, 0x0A], [0x0A], [0x0D], []])
        // Offsets count the byte order mark.
        #expect(rows.first?.bytes == 3..<8)
        #expect(rows.first?.lineEnd == 8..<10)
        #expect(rows.last?.lineEnd == input.count..<input.count)
    }

    @Test func rangesOfTextAreIntoItsUTF8() {
        #expect(CSVReader.read("é,b\nc") == [
            CSVReader.Row(line: 1, fields: ["é", "b"], bytes: 0..<4, lineEnd: 4..<5),
            CSVReader.Row(line: 2, fields: ["c"], bytes: 5..<6, lineEnd: 6..<6),
        ])
    }

    /// Reading bytes or the same text gives the same rows.
    @Test(arguments: ["a,b\r\n\"q,\"\"x\"\"\",z\r\n", "\u{FEFF}sku\n\n1\r2", "\"open,x\ny"])
    func bytesAndTextReadAlike(_ text: String) {
        #expect(CSVReader.read(Array(text.utf8)) == CSVReader.read(text))
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

    /// Only a record the input ends inside of, in a quoted field, is marked unclosed.
    @Test func aQuoteLeftOpenIsMarked() {
        #expect(CSVReader.read("a,\"b\"\n\"c\"\"d\n").map(\.unclosedQuote) == [false, true])
        #expect(CSVReader.read("\"a\"x,\"\"\n").map(\.unclosedQuote) == [false])
    }

    @Test func byteOrderMarkOnlyAtTheStartIsDropped() {
        #expect(CSVReader.rows("\u{FEFF}a\n\u{FEFF}b") == [["a"], ["\u{FEFF}b"]])
    }
}
