import Foundation
import Testing
@testable import SyndicCore

/// Query components percent-encoded byte by byte, as Foundation does for ASCII sets.
@Suite struct PercentEncodingTests {
    @Test func unreservedCharactersStayAndEveryOtherByteIsEncoded() {
        #expect(PercentEncoding.encoded("Az09-._~") == "Az09-._~")
        #expect(PercentEncoding.encoded("a b&c=d/e?f#g+h%") == "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25")
        #expect(PercentEncoding.encoded("é") == "%C3%A9", "non-ASCII text is encoded as its UTF-8 bytes")
        #expect(PercentEncoding.encoded("") == "")
    }

    @Test func charactersTheCallerKeepsStay() {
        #expect(PercentEncoding.encoded("new,shipped:1", keeping: ":,") == "new,shipped:1")
        #expect(PercentEncoding.encoded("new,shipped:1") == "new%2Cshipped%3A1")
    }

    @Test func itMatchesFoundationForTheUnreservedSet() {
        var unreserved = CharacterSet()
        unreserved.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ9-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}é€😀\u{0}\t")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(PercentEncoding.encoded(text) == text.addingPercentEncoding(withAllowedCharacters: unreserved), "\(text)")
        }
    }
}
