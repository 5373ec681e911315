import Testing
@testable import SyndicCore

struct CSVWriterTests {
    static func text(_ writer: CSVWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

    static func written(_ rows: [[String]], separator: Unicode.Scalar = ",",
                        lineEnding: CSVWriter.LineEnding = .crlf) -> String {
        var writer = CSVWriter(separator: separator, lineEnding: lineEnding)
        for row in rows { writer.writeRow(row) }
        return text(writer)
    }

    // MARK: - Quoting

    @Test(arguments: [
        (["a", "b", "c"], "a,b,c\r\n"),
        (["740.00 EUR", "40<###>41"], "740.00 EUR,40<###>41\r\n"),
        (["a,b", "c"], "\"a,b\",c\r\n"),
        (["say \"hi\"", "x"], "\"say \"\"hi\"\"\",x\r\n"),
        (["\"", "\"\""], "\"\"\"\",\"\"\"\"\"\"\r\n"),
        (["line1\nline2"], "\"line1\nline2\"\r\n"),
        (["cr\rhere"], "\"cr\rhere\"\r\n"),
        (["crlf\r\nhere", "ok"], "\"crlf\r\nhere\",ok\r\n"),
        (["semi;colon"], "semi;colon\r\n"),
        (["  padded  ", "tab\there"], "  padded  ,tab\there\r\n"),
        (["", "x", ""], ",x,\r\n"),
        (["", ""], ",\r\n"),
        ([""], "\"\"\r\n"),
        ([], "\r\n"),
        (["Légère, idéale", "😀", "日本語"], "\"Légère, idéale\",😀,日本語\r\n"),
    ])
    func quotesOnlyWhenNeeded(_ row: [String], _ expected: String) {
        #expect(Self.written([row]) == expected)
    }

    @Test(arguments: [
        (Unicode.Scalar(";"), ["a;b", "c,d", "e"], "\"a;b\";c,d;e\r\n"),
        (Unicode.Scalar(";"), ["740,00", "say \"x\""], "740,00;\"say \"\"x\"\"\"\r\n"),
        (Unicode.Scalar("\t"), ["a\tb", "c,d", "e f"], "\"a\tb\"\tc,d\te f\r\n"),
        (Unicode.Scalar("|"), ["a|b", "c"], "\"a|b\"|c\r\n"),
    ])
    func quotesTheConfiguredSeparator(_ separator: Unicode.Scalar, _ row: [String], _ expected: String) {
        #expect(Self.written([row], separator: separator) == expected)
    }

    @Test func keepsUTF8BytesAsIs() {
        let field = "é\u{0301} ß Ω 😀 \u{FEFF}"
        var writer = CSVWriter()
        writer.writeRow([field])
        #expect(writer.bytes == Array(field.utf8) + [0x0D, 0x0A])
        #expect(writer.bytes.prefix(3) != [0xEF, 0xBB, 0xBF], "no BOM is added")
    }

    // MARK: - Rows and line endings

    @Test func headerThenRowsEndWithCRLF() {
        var writer = CSVWriter(header: ["sku", "title", "price"])
        writer.writeRow(["SHOE-001", "Chaussure, course", "740.00"])
        writer.writeRow(["SHIRT-003", "", "25"])
        #expect(Self.text(writer) == "sku,title,price\r\nSHOE-001,\"Chaussure, course\",740.00\r\nSHIRT-003,,25\r\n")
    }

    @Test func lineFeedEndingsWhenAsked() {
        #expect(Self.written([["a", "b"], ["c\nd", ""]], lineEnding: .lf) == "a,b\n\"c\nd\",\n")
        #expect(Self.written([[""]], lineEnding: .lf) == "\"\"\n")
        var writer = CSVWriter(header: ["x"], separator: ";", lineEnding: .lf)
        writer.writeRow(["1;2"])
        #expect(Self.text(writer) == "x\n\"1;2\"\n")
    }

    @Test func fieldByFieldEqualsWholeRows() {
        var byField = CSVWriter(separator: ";")
        for row in [["a", "b;c"], [""], [], ["", "z"]] {
            for field in row { byField.writeField(field) }
            byField.endRow()
        }
        #expect(Self.text(byField) == Self.written([["a", "b;c"], [""], [], ["", "z"]], separator: ";"))
        #expect(Self.text(byField) == "a;\"b;c\"\r\n\"\"\r\n\r\n;z\r\n")
    }

    @Test func takeBytesDrainsTheBuffer() {
        var writer = CSVWriter(header: ["a"], capacity: 64)
        let first = writer.takeBytes()
        #expect(first == Array("a\r\n".utf8))
        #expect(writer.bytes.isEmpty)
        writer.writeRow(["b"])
        #expect(writer.takeBytes() == Array("b\r\n".utf8))
        #expect(first == Array("a\r\n".utf8), "taken bytes are not changed by later writes")
    }

    @Test(arguments: [(Unicode.Scalar(","), CSVWriter.LineEnding.crlf), (";", .crlf), ("\t", .lf)])
    func rowsEncodedElsewhereAppendAsTheSameBytes(_ separator: Unicode.Scalar, _ lineEnding: CSVWriter.LineEnding) {
        let rows = [["a", "b,c"], [""], ["say \"hi\"", "x;y"], [], ["line\nbreak", "\t", "é"]]
        var direct = CSVWriter(header: ["h1", "h2"], separator: separator, lineEnding: lineEnding)
        for row in rows { direct.writeRow(row) }
        var file = CSVWriter(header: ["h1", "h2"], separator: separator, lineEnding: lineEnding)
        #expect(file.format == CSVRowFormat(separator: separator, lineEnding: lineEnding))
        // Two encoders, as two workers would, each with part of the rows.
        for part in [rows[..<2], rows[2...]] {
            var encoder = file.format.writer()
            for row in part { encoder.writeRow(row) }
            file.appendRows(encoder.bytes)
        }
        #expect(file.bytes == direct.bytes)
        #expect(Self.text(file).hasPrefix("h1" + String(Character(separator)) + "h2"))
    }

    @Test func separatorIsKept() {
        #expect(CSVWriter().separator == UInt8(ascii: ","))
        #expect(CSVWriter(separator: ";").separator == UInt8(ascii: ";"))
        #expect(CSVWriter().lineEnding == .crlf)
    }

    // MARK: - Round trip

    /// A strict RFC 4180 reader, to check that what is written reads back as written.
    static func read(_ bytes: [UInt8], separator: UInt8) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var index = 0
        var quoted = false
        var fieldStarted = false
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field = []
            fieldStarted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && !fieldStarted {
                quoted = true
                fieldStarted = true
            } else if byte == separator {
                endField()
            } else if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                if fieldStarted || !row.isEmpty || !field.isEmpty { endField() }
                rows.append(row)
                row = []
                index += 1
            } else {
                field.append(byte)
                fieldStarted = true
            }
            index += 1
        }
        return rows
    }

    @Test func trickyFieldsReadBackAsWritten() {
        let pieces = ["", "a", ",", ";", "\"", "\r", "\n", "\r\n", " ", "é", "😀", "<###>", "x\"y"]
        var rows: [[String]] = []
        for (i, first) in pieces.enumerated() {
            for second in pieces {
                rows.append([first + second, second, "\(i)", second + first + second])
            }
        }
        rows.append(["only"])
        for separator in [Unicode.Scalar(","), ";", "\t"] {
            var writer = CSVWriter(separator: separator)
            for row in rows { writer.writeRow(row) }
            #expect(Self.read(writer.bytes, separator: UInt8(separator.value)) == rows)
        }
    }
}
