import Testing
@testable import SyndicCore

struct JSONCursorTests {
    /// Runs `body` on a cursor over `text`. Bytes that would complete a truncated text follow
    /// it in memory, outside the cursor's count: reading them would show.
    static func withCursor<R>(_ text: String, _ body: (inout JSONCursor) -> R) -> R {
        let bytes = Array(text.utf8) + Array(#""}]"#.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(base: buffer.baseAddress!, count: text.utf8.count)
            return body(&cursor)
        }
    }

    /// Parses one value strictly; the value and where the cursor stopped, or the error.
    static func parse(_ text: String) -> Result<(Value, Int), ProductScanError> {
        withCursor(text) { cursor in
            do throws(ProductScanError) {
                let value = try cursor.parseValue()
                return .success((value, cursor.index))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Skips one value; where the cursor stopped, or the error.
    static func skip(_ text: String) -> Result<Int, ProductScanError> {
        withCursor(text) { cursor in
            do throws(ProductScanError) {
                try cursor.skipValue()
                return .success(cursor.index)
            } catch {
                return .failure(error)
            }
        }
    }

    // MARK: - Strings

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""say \"hi\"""#, "say \"hi\""),
        (#""back\\slash""#, "back\\slash"),
        (#""ends with \\""#, "ends with \\"),
        (#""\\\"""#, "\\\""),
        (#""a\nb\rc\td\be\ff\/g""#, "a\nb\rc\td\u{08}e\u{0C}f/g"),
        (#""caf\u00e9 \u00C9""#, "café É"),
        (#""\u20AC 740""#, "€ 740"),
        (#""smile \ud83d\ude00!""#, "smile 😀!"),
        (#""lone \ud83d high""#, "lone \u{FFFD} high"),
        (#""lone \ude00 low""#, "lone \u{FFFD} low"),
        (#""high then other \ud83d\u0041""#, "high then other \u{FFFD}A"),
        (#""already UTF-8: é😀 日本""#, "already UTF-8: é😀 日本"),
        // Past the 32 bytes scanned inline, escapes early and late.
        (#""0123456789012345678901234567890123456789 \"tail\"""#, "0123456789012345678901234567890123456789 \"tail\""),
        (#""\"0123456789012345678901234567890123456789""#, "\"0123456789012345678901234567890123456789"),
        (#""0123456789012345678901234567890123456789\\""#, "0123456789012345678901234567890123456789\\"),
    ])
    func decodesStrings(_ json: String, _ expected: String) throws {
        let (value, end) = try Self.parse(json).get()
        #expect(value == .string(expected))
        #expect(end == json.utf8.count)
    }

    // MARK: - Numbers

    @Test(arguments: [
        ("0", Value.int(0)),
        ("42", .int(42)),
        ("-12", .int(-12)),
        ("9223372036854775807", .int(Int.max)),
        ("3.25", .double(3.25)),
        ("-0.5", .double(-0.5)),
        ("1e3", .double(1000)),
        ("2E+2", .double(200)),
        ("-2.5E-2", .double(-0.025)),
        ("12345678901234567890", .double(12_345_678_901_234_567_890.0)),
        ("-99999999999999999999", .double(-99_999_999_999_999_999_999.0)),
    ])
    func readsNumbers(_ json: String, _ expected: Value) throws {
        let (value, end) = try Self.parse(json).get()
        #expect(value == expected)
        #expect(end == json.utf8.count)
    }

    @Test func numbersStopAtTheirDelimiter() throws {
        let (value, end) = try Self.parse("[1,-2.5e1 ,3]").get()
        #expect(value == .list([.int(1), .double(-25), .int(3)]))
        #expect(end == 13)
    }

    // MARK: - Structures

    @Test func parsesNestedValues() throws {
        let json = #" { "a" : [ true , false , null , { } , [ ] ] , "b" : { "c" : "d" } } "#
        let (value, end) = try Self.parse(json).get()
        #expect(value == .object(["a": .list([.bool(true), .bool(false), .null, .object([:]), .list([])]),
                                  "b": .object(["c": .string("d")])]))
        #expect(end == json.utf8.count - 1, "stops after the closing brace, before trailing blanks")
    }

    @Test(arguments: [
        ("", 0, "unexpected character"),
        ("-", 0, "unexpected character"),
        ("x", 0, "unexpected character"),
        ("1.2.3", 0, "bad number 1.2.3"),
        ("tru", 0, "expected true"),
        ("nul", 0, "expected null"),
        (#""abc"#, 4, "unterminated string"),
        (#""\u12G4""#, 3, #"bad \u escape"#),
        (#"{"a" 1}"#, 5, "expected :"),
        (#"{"a":1"#, 6, "expected , or }"),
        (#"{"a":1]"#, 6, "expected , or }"),
        ("[1 2]", 3, "expected , or ]"),
        ("{1:2}", 1, "expected a string"),
        (#"{"a":1,}"#, 7, "expected a string"),
    ])
    func parseErrorsCarryTheirOffset(_ json: String, _ offset: Int, _ message: String) {
        #expect(throws: ProductScanError(offset: offset, message: message)) { try Self.parse(json).get() }
    }

    @Test func refusesValuesNestedTooDeeply() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: ProductScanError(offset: 256, message: "nested too deeply")) { try Self.parse(deep).get() }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try Self.parse(fine).get() }
    }

    // MARK: - Checking

    /// Checks one value strictly without building it; where the cursor stopped, or the error.
    static func check(_ text: String) -> Result<Int, ProductScanError> {
        withCursor(text) { cursor in
            do throws(ProductScanError) {
                try cursor.checkValue()
                return .success(cursor.index)
            } catch {
                return .failure(error)
            }
        }
    }

    /// Checking accepts what parsing reads and stops where it stops; it refuses what parsing
    /// refuses with the same error at the same offset.
    @Test(arguments: [
        #" { "a" : [ true , false , null , { } , [ ] ] , "b" : { "c" : "d" } } "#,
        #"[{"amount": "740.00", "currency": "EUR"}, {"amount": 12.5, "currency": "GBP"}]"#,
        #"{"k\u00e9y": "caf\u00e9 \ud83d\ude00", "n": [1, -2.5e1, 3]}"#,
        "[1,-2.5e1 ,3]", "", "-", "1.2.3", "tru", "[nul]", #""abc"#, #"["\u12G4"]"#, #"{"\u12G4": 1}"#,
        #"{"a" 1}"#, #"{"a":1"#, #"{"a":1]"#, "[1 2]", "{1:2}", #"{"a":1,}"#, #"[{"a": [1, 2}]"#,
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
    ])
    func checksAsStrictlyAsParsing(_ json: String) {
        switch (Self.check(json), Self.parse(json)) {
        case (.success(let checked), .success(let parsed)):
            #expect(checked == parsed.1)
        case (.failure(let checked), .failure(let parsed)):
            #expect(checked == parsed)
        case (let checked, let parsed):
            Issue.record("\(json): checked \(checked), parsed \(parsed)")
        }
    }

    // MARK: - Skipping

    @Test(arguments: [
        (#""s" , 1"#, 3),
        (#"{"a":[1,{"b":"]}"}],"c":"\"}"} ,"#, 30),
        (#"[["[", "\\"], {"x": "\\\"]"}] x"#, 29),
        ("123.5e3,", 7),
        ("true}", 4),
        ("null]", 4),
        ("  -7 ", 4),
    ])
    func skipsOneValue(_ json: String, _ end: Int) throws {
        #expect(try Self.skip(json).get() == end)
    }

    @Test(arguments: [
        (#"{"a":[1,2"#, 9, "unterminated object"),
        (#"[{"a":"]"}"#, 10, "unterminated list"),
        (#"["abc"#, 5, "unterminated string"),
        (",", 0, "expected a value"),
        ("", 0, "expected a value"),
    ])
    func skipErrorsCarryTheirOffset(_ json: String, _ offset: Int, _ message: String) {
        #expect(throws: ProductScanError(offset: offset, message: message)) { try Self.skip(json).get() }
    }
}
