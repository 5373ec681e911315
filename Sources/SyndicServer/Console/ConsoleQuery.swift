import Foundation
import SyndicCore

/// Form and query text of the console: `application/x-www-form-urlencoded` pairs read (`+`
/// is a space) and written (every character but unreserved ones percent-encoded), so that
/// filters live in the URL and links keep them.
struct ConsoleQuery: Sendable, Equatable {
    /// The pairs in their order; a name may repeat.
    var pairs: [(name: String, value: String)]

    init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Reads `a=1&b=x+y`: names and values decoded, pairs without a name dropped.
    init(parsing text: String?) {
        pairs = []
        guard let text, !text.isEmpty else { return }
        for part in text.split(separator: "&") {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decoded(halves[0])
            guard !name.isEmpty else { continue }
            pairs.append((name, halves.count > 1 ? Self.decoded(halves[1]) : ""))
        }
    }

    static func == (lhs: ConsoleQuery, rhs: ConsoleQuery) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// The first value of `name`, trimmed; nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespaces),
              !value.isEmpty else { return nil }
        return value
    }

    /// The query text (`a=1&b=x%20y`), pairs with an empty value left out.
    var text: String {
        pairs.filter { !$0.value.isEmpty }.map { Self.encoded($0.name) + "=" + Self.encoded($0.value) }.joined(separator: "&")
    }

    /// `path`, with `?` and the query when it has pairs.
    func link(_ path: String) -> String {
        let query = text
        return query.isEmpty ? path : path + "?" + query
    }

    /// The same query with `name` set to `value` (removed when nil or empty).
    func setting(_ name: String, _ value: String?) -> ConsoleQuery {
        var copy = pairs.filter { $0.name != name }
        if let value, !value.isEmpty { copy.append((name, value)) }
        return ConsoleQuery(copy)
    }

    /// `text` percent-encoded for a query component (and for a path segment).
    static func encoded(_ text: String) -> String {
        PercentEncoding.encoded(text)
    }

    /// A form component decoded: `+` is a space, then percent escapes (kept as written when
    /// they are not valid UTF-8).
    static func decoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
