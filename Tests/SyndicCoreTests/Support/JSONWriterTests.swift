import Foundation
import Testing
@testable import SyndicCore

/// The byte-level JSON writer of the Orders API: members in the order written, commas placed
/// by the writer, strings escaped, numbers and dates in their one written form.
@Suite struct JSONWriterTests {
    /// The text `build` writes into a fresh writer.
    static func text(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The text of one string value.
    static func quoted(_ value: String?) -> String {
        text { $0.string(value) }
    }

    // MARK: - Structure

    @Test func emptyContainers() {
        #expect(Self.text { $0.beginObject(); $0.endObject() } == "{}")
        #expect(Self.text { $0.beginList(); $0.endList() } == "[]")
        #expect(Self.text { $0.beginList(); $0.beginObject(); $0.endObject(); $0.beginList(); $0.endList(); $0.endList() }
                == "[{},[]]")
    }

    @Test func membersKeepTheOrderWritten() {
        let text = Self.text { writer in
            writer.beginObject()
            writer.key("zeta"); writer.int(1)
            writer.key("alpha"); writer.string("a")
            writer.key("mid"); writer.bool(true)
            writer.endObject()
        }
        #expect(text == #"{"zeta":1,"alpha":"a","mid":true}"#)
    }

    @Test func nestedObjectsAndLists() {
        let text = Self.text { writer in
            writer.beginObject()
            writer.key("orders")
            writer.beginList()
            writer.beginObject()
            writer.key("id"); writer.string("O-1")
            writer.key("lines")
            writer.beginList()
            writer.beginObject(); writer.key("n"); writer.int(1); writer.endObject()
            writer.beginObject(); writer.key("n"); writer.int(2); writer.endObject()
            writer.endList()
            writer.key("total"); writer.double(12.5)
            writer.endObject()
            writer.beginObject()
            writer.key("id"); writer.string("O-2")
            writer.key("lines"); writer.beginList(); writer.endList()
            writer.endObject()
            writer.endList()
            writer.key("count"); writer.int(2)
            writer.endObject()
        }
        #expect(text == #"{"orders":[{"id":"O-1","lines":[{"n":1},{"n":2}],"total":12.5},{"id":"O-2","lines":[]}],"count":2}"#)
    }

    @Test func aCommaFollowsEveryClosedContainerButNoneFollowsAKey() {
        let text = Self.text { writer in
            writer.beginList()
            writer.beginList(); writer.int(1); writer.int(2); writer.endList()
            writer.beginObject(); writer.endObject()
            writer.beginObject(); writer.key("a"); writer.beginObject(); writer.endObject(); writer.key("b"); writer.null()
            writer.endObject()
            writer.beginList(); writer.beginList(); writer.endList(); writer.endList()
            writer.string("last")
            writer.endList()
        }
        #expect(text == #"[[1,2],{},{"a":{},"b":null},[[]],"last"]"#)
    }

    @Test func scalarsInAList() {
        let text = Self.text { writer in
            writer.beginList()
            writer.int(0); writer.int(-42); writer.int(Int.max); writer.int(UInt8(255)); writer.int(Int64.min)
            writer.bool(true); writer.bool(false); writer.null(); writer.string("")
            writer.endList()
        }
        #expect(text == #"[0,-42,9223372036854775807,255,-9223372036854775808,true,false,null,""]"#)
    }

    // MARK: - Null for nil

    @Test func nilOptionalsAreWrittenAsNull() {
        let text = Self.text { writer in
            writer.beginObject()
            writer.key("s"); writer.string(nil)
            writer.key("i"); writer.int(Int?.none)
            writer.key("d"); writer.double(nil)
            writer.key("t"); writer.date(nil)
            writer.key("after"); writer.int(1)
            writer.endObject()
        }
        #expect(text == #"{"s":null,"i":null,"d":null,"t":null,"after":1}"#)
    }

    @Test func nilValuesInAListAreSeparated() {
        let text = Self.text { writer in
            writer.beginList(); writer.string(nil); writer.int(Int?.none); writer.double(nil); writer.date(nil); writer.endList()
        }
        #expect(text == "[null,null,null,null]")
    }

    // MARK: - Strings

    @Test(arguments: [
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\dir\file"#, #""C:\\dir\\file""#),
        ("a\nb", #""a\nb""#),
        ("a\rb", #""a\rb""#),
        ("a\tb", #""a\tb""#),
        ("\u{01}", #""\u0001""#),
        ("\u{00}x\u{1F}", #""\u0000x\u001f""#),
        ("bs\u{08} ff\u{0C}", #""bs\u0008 ff\u000c""#),
        ("del\u{7F}", "\"del\u{7F}\""),
        ("/", #""/""#),
        ("é", "\"é\""),
        ("café 😀 日本", "\"café 😀 日本\""),
        ("\"\\\n", #""\"\\\n""#),
        ("", #""""#),
    ])
    func escapesStrings(_ value: String, _ expected: String) {
        #expect(Self.quoted(value) == expected)
    }

    @Test func nonASCIIBytesPassThroughUnchanged() {
        var writer = JSONWriter()
        writer.string("é😀")
        #expect(writer.bytes == [0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    // MARK: - Numbers

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-3.0, "-3"), (42.0, "42"), (1_000_000.0, "1000000"),
        (999_999_999_999_999.0, "999999999999999"),
        (1.5, "1.5"), (-0.25, "-0.25"), (0.1, "0.1"), (12.34, "12.34"), (1e-7, "1e-07"),
    ])
    func writesDoubles(_ number: Double, _ expected: String) {
        #expect(Self.text { $0.double(number) } == expected)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func nonFiniteDoublesAreNull(_ number: Double) {
        #expect(Self.text { $0.beginList(); $0.double(number); $0.int(1); $0.endList() } == "[null,1]")
    }

    @Test func largeWholeDoublesStayValidJSONNumbers() throws {
        for number in [1e15, 1e20, -1e300] {
            let text = Self.text { $0.beginList(); $0.double(number); $0.endList() }
            let list = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double], "\(text)")
            #expect(list == [number], "\(text)")
        }
    }

    // MARK: - Dates

    @Test(arguments: [
        (1_731_700_564.0, "2024-11-15T19:56:04.000Z"),
        (1_731_700_564.25, "2024-11-15T19:56:04.250Z"),
        (1_731_700_564.5, "2024-11-15T19:56:04.500Z"),
        (0.0, "1970-01-01T00:00:00.000Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"),
        (1_795_168_800.0, "2026-11-20T10:00:00.000Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),
    ])
    func writesDatesAsUTCWithMilliseconds(_ seconds: Double, _ expected: String) {
        #expect(Self.text { $0.date(Date(timeIntervalSince1970: seconds)) } == "\"\(expected)\"")
    }

    /// A date made from milliseconds since 1970 (as the Orders API reads `shipping_date`)
    /// writes back the same millisecond.
    @Test(arguments: [
        (1_744_187_335_000, "2025-04-09T08:28:55.000Z"),
        (1_744_187_335_001, "2025-04-09T08:28:55.001Z"),
        (1_744_187_335_123, "2025-04-09T08:28:55.123Z"),
        (1_744_187_335_999, "2025-04-09T08:28:55.999Z"),
    ])
    func writesTheMillisecondOfADateMadeFromMilliseconds(_ millis: Int, _ expected: String) {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        #expect(Self.text { $0.date(date) } == "\"\(expected)\"")
    }

    // MARK: - Round trip

    @Test func theBytesParseBackToTheSameValues() throws {
        let date = Date(timeIntervalSince1970: 1_731_700_564.25)
        var writer = JSONWriter(capacity: 16)
        writer.beginObject()
        writer.key("text"); writer.string("q\" b\\ n\n r\r t\t c\u{01} é 😀")
        writer.key("int"); writer.int(-7)
        writer.key("whole"); writer.double(3)
        writer.key("fraction"); writer.double(0.125)
        writer.key("nan"); writer.double(.nan)
        writer.key("flag"); writer.bool(false)
        writer.key("none"); writer.string(nil)
        writer.key("when"); writer.date(date)
        writer.key("list")
        writer.beginList()
        writer.int(1)
        writer.beginObject(); writer.key("k"); writer.string("v"); writer.endObject()
        writer.beginList(); writer.endList()
        writer.bool(true)
        writer.endList()
        writer.key("empty"); writer.beginObject(); writer.endObject()
        writer.endObject()

        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(object.count == 10)
        #expect(object["text"] as? String == "q\" b\\ n\n r\r t\t c\u{01} é 😀")
        #expect((object["int"] as? NSNumber)?.intValue == -7)
        #expect((object["whole"] as? NSNumber)?.doubleValue == 3)
        #expect((object["fraction"] as? NSNumber)?.doubleValue == 0.125)
        #expect(object["nan"] is NSNull)
        #expect(object["flag"] as? Bool == false)
        #expect(object["none"] is NSNull)
        #expect(object["when"] as? String == "2024-11-15T19:56:04.250Z")
        #expect(ISODate.parse(try #require(object["when"] as? String)) == date)
        let list = try #require(object["list"] as? [Any])
        #expect(list.count == 4)
        #expect((list[0] as? NSNumber)?.intValue == 1)
        #expect(list[1] as? [String: String] == ["k": "v"])
        #expect((list[2] as? [Any])?.isEmpty == true)
        #expect(list[3] as? Bool == true)
        #expect((object["empty"] as? [String: Any])?.isEmpty == true)
    }

    @Test func everyEscapedControlCharacterRoundTrips() throws {
        let all = String(String.UnicodeScalarView((UInt32(0)..<0x20).compactMap { Unicode.Scalar($0) })) + "\"\\/\u{7F}é😀"
        var writer = JSONWriter()
        writer.beginList(); writer.string(all); writer.endList()
        let list = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String])
        #expect(list == [all])
        #expect(try CanonicalJSON.parse(bytes: writer.bytes) == .list([.string(all)]))
    }

    // MARK: - Escape scan (eight bytes at a time)

    /// The escaped text of `bytes`, one byte at a time: what the writer must produce.
    static func escapedOneByteAtATime(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\t"): text += "\\t"
            case 0..<0x20: text += "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            default: text += String(decoding: [byte], as: UTF8.self)
            }
        }
        return text + "\""
    }

    /// Every byte that needs an escape, at every position of texts of 0…40 bytes (runs before,
    /// inside and after the eight-byte blocks), is found and escaped as byte by byte.
    @Test func anEscapeIsFoundAtEveryPositionOfALongText() {
        for length in 0...40 {
            for position in 0..<max(length, 1) {
                for special: UInt8 in [0x00, 0x0A, 0x1F, UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                    var bytes = [UInt8]((0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) })
                    if position < length { bytes[position] = special }
                    var writer = JSONWriter()
                    bytes.withUnsafeBufferPointer { writer.string(utf8: $0) }
                    #expect(String(decoding: writer.bytes, as: UTF8.self) == Self.escapedOneByteAtATime(bytes),
                            "length \(length), byte \(special) at \(position)")
                }
            }
        }
    }

    /// Each of the 256 bytes, at each of a word's eight positions, matches exactly when JSON
    /// escapes it: neighbours (0x20, `!`, `#`, `[`, `]`) and bytes of multi-byte characters
    /// (0x80 and above, such as 0xA2 and 0xDC, whose low bits are those of `"` and `\`) never.
    @Test func theWordTestMatchesExactlyTheBytesToEscape() {
        for byte in UInt8.min...UInt8.max {
            let needsEscape = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            for position in 0..<8 {
                var word = UInt64(0x6161_6161_6161_6161)
                word &= ~(UInt64(0xFF) << (8 * UInt64(position)))
                word |= UInt64(byte) << (8 * UInt64(position))
                #expect(JSONWriter.hasByteToEscape(word) == needsEscape, "byte \(byte) at \(position)")
            }
        }
        let text = Array("ab !#[]~é😀 plain text, no escape here".utf8)
        text.withUnsafeBufferPointer { #expect(JSONWriter.firstEscaped(in: $0, from: 0) == text.count) }
    }
}
