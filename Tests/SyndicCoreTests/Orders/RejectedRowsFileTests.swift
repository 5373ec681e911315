import Testing
@testable import SyndicCore

/// The rejected rows of a shipment file: the records byte for byte, the reason as one more
/// quoted field, each record's own line end.
struct RejectedRowsFileTests {
    static func rejected(_ file: [UInt8], _ lines: [Int: String]) throws -> String {
        let rows = CSVReader.read(file)
        let header = try #require(rows.first)
        let rejections = rows.dropFirst().compactMap { row in lines[row.line].map { (row: row, reason: $0) } }
        return String(decoding: RejectedRowsFile.bytes(of: file, header: header, rejections: rejections), as: UTF8.self)
    }

    @Test func recordsAreCopiedAsTheyCameWithTheReasonLast() throws {
        let file = Array("\u{FEFF}a,b\r\nok,1\r\n\"x\ny\",2,extra\r\n 3 ,\"q\"\"\"\r\n".utf8)
        // The quoted record spans lines 3 and 4.
        #expect(try Self.rejected(file, [3: "too \"big\"", 5: "no"])
                == "\u{FEFF}a,b,reason\r\n\"x\ny\",2,extra,\"line 3: too \"\"big\"\"\"\r\n 3 ,\"q\"\"\",\"line 5: no\"\r\n")
    }

    /// Each record keeps its own line end; one without takes the header's.
    @Test func lineEndsAreTheRecordsOwn() throws {
        #expect(try Self.rejected(Array("h\nA\r\nB\rC".utf8), [2: "a", 3: "b", 4: "c"])
                == "h,reason\nA,\"line 2: a\"\r\nB,\"line 3: b\"\rC,\"line 4: c\"\n")
        // Neither the header nor the record has one: CRLF.
        let rows = CSVReader.read(Array("h".utf8))
        let header = try #require(rows.first)
        #expect(RejectedRowsFile.bytes(of: Array("h".utf8), header: header, rejections: [(row: header, reason: "bad header")])
                == Array("h,reason\r\nh,\"line 1: bad header\"\r\n".utf8))
    }

    /// Bytes that are not UTF-8 stay as they were.
    @Test func bytesThatAreNotUTF8AreKept() throws {
        let file: [UInt8] = Array("h\n".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array("\n".utf8)
        let rows = CSVReader.read(file)
        let header = try #require(rows.first)
        let rejected = RejectedRowsFile.bytes(of: file, header: header, rejections: [(row: rows[1], reason: "x")])
        #expect(rejected == Array("h,reason\n".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array(",\"line 2: x\"\n".utf8))
    }

    /// A last record whose quoted field is never closed gets its closing quote, so that the
    /// reason is a field of its own (found by fuzzing: it was swallowed into the open field).
    @Test func anUnclosedQuoteIsClosedBeforeTheReason() throws {
        let file = Array("original_id,shipping_date\n\"unterminated,1764000000000\n".utf8)
        let text = try Self.rejected(file, [2: "shipping_date is required"])
        #expect(text == "original_id,shipping_date,reason\n\"unterminated,1764000000000\n\",\"line 2: shipping_date is required\"\n")
        #expect(CSVReader.rows(text) == [["original_id", "shipping_date", "reason"],
                                         ["unterminated,1764000000000\n", "line 2: shipping_date is required"]])
    }
}
