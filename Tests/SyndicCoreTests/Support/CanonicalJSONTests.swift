import Foundation
import Testing
@testable import SyndicCore

struct CanonicalJSONTests {
    // MARK: - Writing

    @Test func sortsObjectKeysAtEveryDepth() {
        let value = Value.object([
            "zeta": .int(1),
            "alpha": .object(["b": .bool(true), "a": .null, "B": .string("upper sorts first")]),
            "mid": .list([.object(["y": .int(2), "x": .int(1)]), .string("s")]),
        ])
        #expect(CanonicalJSON.string(value)
                == #"{"alpha":{"B":"upper sorts first","a":null,"b":true},"mid":[{"x":1,"y":2},"s"],"zeta":1}"#)
    }

    @Test(arguments: [
        (Value.null, "null"), (.bool(true), "true"), (.bool(false), "false"),
        (.int(0), "0"), (.int(-42), "-42"), (.int(Int.max), "9223372036854775807"),
        (.double(1.5), "1.5"), (.double(-0.25), "-0.25"), (.double(.nan), "null"), (.double(.infinity), "null"),
        (.string(""), #""""#), (.list([]), "[]"), (.object([:]), "{}"),
        (.list([.int(1), .list([]), .object([:])]), "[1,[],{}]"),
    ])
    func writesScalarsAndContainers(_ value: Value, _ text: String) {
        #expect(CanonicalJSON.string(value) == text)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let text = "q\" b\\ n\n r\r t\t bell\u{07} nul\u{00} us\u{1F} del\u{7F} é 😀 /"
        #expect(CanonicalJSON.string(.string(text))
                == "\"q\\\" b\\\\ n\\n r\\r t\\t bell\\u0007 nul\\u0000 us\\u001f del\u{7F} é 😀 /\"")
    }

    @Test func escapesKeysLikeStrings() {
        #expect(CanonicalJSON.string(.object(["a\"b\n": .int(1)])) == #"{"a\"b\n":1}"#)
    }

    @Test func outputIsValidJSONForFoundation() throws {
        let value = Value.object(["s": .string("tab\t ctl\u{01} quote\" é"), "n": .list([.int(1), .double(2.5), .null])])
        let parsed = try JSONSerialization.jsonObject(with: Data(CanonicalJSON.string(value).utf8)) as? [String: Any]
        #expect(parsed?["s"] as? String == "tab\t ctl\u{01} quote\" é")
        #expect((parsed?["n"] as? [Any])?.count == 3)
    }

    // MARK: - Parsing

    static let roundTrips: [Value] = [
        .null, .bool(true), .int(-7), .double(2.0), .double(0.001), .string("plain"),
        .string("esc \" \\ \n \r \t \u{01} é 😀"),
        .list([.int(1), .string("two"), .list([.bool(false)]), .object([:])]),
        .object(["spec": .object(["type": .string("mirakl"), "products": .object([
            "mapping": .object(["title": .string("name~fr_FR")]),
            "export": .object(["batchSize": .int(500), "delta": .bool(false)]),
        ])]), "labels": .object(["team": .string("emea")])]),
    ]

    @Test(arguments: roundTrips)
    func parseRoundTripsTheCanonicalText(_ value: Value) throws {
        let text = CanonicalJSON.string(value)
        let parsed = try CanonicalJSON.parse(text)
        #expect(parsed == value)
        #expect(CanonicalJSON.string(parsed) == text)
    }

    @Test func parsesWhitespaceAndReordersKeys() throws {
        let parsed = try CanonicalJSON.parse(" \n{ \"b\" : [ 1 , 2 ] ,\t\"a\" : { } }\r\n ")
        #expect(parsed == .object(["a": .object([:]), "b": .list([.int(1), .int(2)])]))
        #expect(CanonicalJSON.string(parsed) == #"{"a":{},"b":[1,2]}"#)
    }

    @Test(arguments: [
        ("0", Value.int(0)), ("-12", .int(-12)), ("1.5", .double(1.5)), ("1e3", .double(1000)),
        ("-2.5E-1", .double(-0.25)), ("12345678901234567890", .double(12_345_678_901_234_567_168)),
    ])
    func parsesNumbers(_ text: String, _ value: Value) throws {
        #expect(try CanonicalJSON.parse(text) == value)
    }

    @Test(arguments: [
        (#""\u00e9""#, "é"),
        (#""\u0041\u0042""#, "AB"),
        (#""\ud83d\ude00""#, "😀"),
        (#""x\uD83D\uDE00y""#, "x😀y"),
        (#""\u20AC""#, "€"),
        (#""\/\b\f\n\r\t\"\\""#, "/\u{08}\u{0C}\n\r\t\"\\"),
        (#""\u0000""#, "\u{0}"),
        (#""\udc00""#, "\u{FFFD}"),
        (#""\ud83d""#, "\u{FFFD}"),
        (#""\ud83dx""#, "\u{FFFD}x"),
    ])
    func parsesEscapes(_ text: String, _ expected: String) throws {
        #expect(try CanonicalJSON.parse(text) == .string(expected))
    }

    /// A high surrogate followed by an escape that is not a low surrogate must not trap the
    /// process: a stored spec or a saved plan is input, and a crash loses the error message.
    @Test func highSurrogateFollowedByANonSurrogateEscapeDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            let parsed = try? CanonicalJSON.parse(#""\ud83d\u0041""#)
            // Either an error or a replacement character, never a trap.
            if let parsed, parsed != .string("\u{FFFD}A") { exit(2) }
        }
    }

    @Test(arguments: [
        ("", "invalid JSON at byte 0: unexpected end"),
        ("   ", "invalid JSON at byte 3: unexpected end"),
        ("{", "invalid JSON at byte 1: expected a key"),
        ("{1:2}", "invalid JSON at byte 1: expected a key"),
        ("[1,2", "invalid JSON at byte 4: unexpected end"),
        (#"{"a" 1}"#, "invalid JSON at byte 5: expected :"),
        (#"{"a":1 "b":2}"#, "invalid JSON at byte 7: expected , or }"),
        ("[1 2]", "invalid JSON at byte 3: expected , or ]"),
        (#""abc"#, "invalid JSON at byte 4: unterminated string"),
        ("tru", "invalid JSON at byte 3: expected true"),
        ("nul", "invalid JSON at byte 3: expected null"),
        ("fals3", "invalid JSON at byte 4: expected false"),
        ("{} x", "invalid JSON at byte 3: trailing characters"),
        ("@", "invalid JSON at byte 0: unexpected character"),
        ("-", "invalid JSON at byte 0: unexpected character"),
        (#"{"a":}"#, "invalid JSON at byte 5: unexpected character"),
        (#""\u12""#, #"invalid JSON at byte 3: bad \u escape"#),
        (#""\uZZZZ""#, #"invalid JSON at byte 3: bad \u escape"#),
        // Signs are no hex digits (they used to read as `A` and as NUL).
        (#""\u+041""#, #"invalid JSON at byte 3: bad \u escape"#),
        (#""\u-000""#, #"invalid JSON at byte 3: bad \u escape"#),
        (#""\ud83d\u0041""#, #"invalid JSON at byte 13: unpaired surrogate in \u escape"#),
    ])
    func reportsErrorsWithTheirByteOffset(_ text: String, _ description: String) {
        do {
            let value = try CanonicalJSON.parse(text)
            Issue.record("parsed \(text) as \(value)")
        } catch {
            #expect("\(error)" == description)
        }
    }

    // MARK: - Value helpers used with stored JSON

    @Test func valueAccessorsReadStoredSpecs() throws {
        let spec = try CanonicalJSON.parse(#"{"products":{"export":{"delta":true,"batchSize":500}},"type":"mirakl","tags":["a"]}"#)
        #expect(spec.value(at: "products.export.delta")?.boolValue == true)
        #expect(spec.value(at: "products.export.batchSize")?.intValue == 500)
        #expect(spec["type"]?.stringValue == "mirakl")
        #expect(spec["tags"]?.listValue == [.string("a")])
        #expect(spec.value(at: "products.missing.deeper") == nil)
        #expect(spec["type"]?["nested"] == nil)
        #expect(spec["type"]?.intValue == nil)
    }
}
