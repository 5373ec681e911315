import Foundation
import SyndicCore

/// The query parameters of `GET /api/v1/orders`, read strictly: an unknown parameter or
/// a bad value is a 400 naming the parameter.
///
/// Each rule is the OpenAPI document's, so that a request the document allows is served
/// and one it does not is refused: `status` takes statuses as the API writes them, repeated
/// or separated by commas; `channel` takes names, repeated or separated by commas (empty
/// ones ignored); `updated_since`, `purchased_from` and `purchased_before` take an RFC 3339
/// date-time or a date alone (midnight UTC); `errors` takes yes, no, true or false; `limit`
/// 1…max in digits; `cursor` the digits of an earlier page's `cursor`.
enum OrderListQuery {
    static let parameters: Set<String> = ["status", "channel", "updated_since", "purchased_from", "purchased_before", "errors",
                                          "limit", "cursor"]

    static func parse(_ pairs: [(name: String, value: String)], options: APIServerOptions) throws(APIError) -> OrderPageQuery {
        var query = OrderPageQuery()
        query.limit = options.defaultPageSize
        var seen: Set<String> = []
        for (name, value) in pairs {
            guard parameters.contains(name) else {
                throw .badRequest(field: name, "unknown parameter; expected \(parameters.sorted().joined(separator: ", "))")
            }
            let repeatable = name == "status" || name == "channel"
            guard repeatable || seen.insert(name).inserted else { throw .badRequest(field: name, "given more than once") }
            switch name {
            case "status":
                for text in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let status = OrderStatus(rawValue: String(text)) else {
                        throw .badRequest(field: name, "\"\(text)\" is not one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    query.statuses.insert(status)
                }
            case "channel":
                query.channels.formUnion(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            case "updated_since": query.updatedSince = try date(value, name)
            case "purchased_from": query.purchasedFrom = try date(value, name)
            case "purchased_before": query.purchasedBefore = try date(value, name)
            case "errors":
                switch value {
                case "yes", "true": query.hasErrors = true
                case "no", "false": query.hasErrors = false
                default: throw .badRequest(field: name, "expected yes, no, true or false")
                }
            case "limit":
                guard isDigits(value), let limit = Int(value), (1...options.maxPageSize).contains(limit) else {
                    throw .badRequest(field: name, "expected a whole number from 1 to \(options.maxPageSize)")
                }
                query.limit = limit
            default:
                // Digits beyond any change sequence are a cursor past the last order.
                guard isDigits(value) else { throw .badRequest(field: name, "expected the cursor of an earlier page (digits)") }
                query.after = Int64(value) ?? .max
            }
        }
        return query
    }

    /// One or more ASCII digits.
    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func date(_ text: String, _ name: String) throws(APIError) -> Date {
        guard let date = ISODate.parseStrict(text) else {
            throw .badRequest(field: name, "\"\(text)\" is not a date-time (2026-03-01T09:00:00Z) or a date (2026-03-01)")
        }
        return date
    }
}
