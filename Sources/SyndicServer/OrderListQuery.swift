import Foundation
import SyndicCore
import SyndicStore

/// The query parameters of `GET /api/v1/orders`, read strictly: an unknown parameter or
/// a bad value is a 400 naming the parameter.
///
/// `status` and `channel` take several values (repeated, or separated by commas);
/// `updated_since`, `purchased_from` and `purchased_before` take ISO 8601 (a date alone is
/// midnight UTC); `errors` takes yes/no (or true/false); `limit` 1…max; `cursor` is the
/// `cursor` of an earlier page.
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
            let values = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            switch name {
            case "status":
                for text in values {
                    guard let status = OrderStatus(rawValue: text.uppercased()) else {
                        throw .badRequest(field: name, "\"\(text)\" is not one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    query.statuses.insert(status)
                }
            case "channel":
                query.channels.formUnion(values)
            case "updated_since": query.updatedSince = try date(value, name)
            case "purchased_from": query.purchasedFrom = try date(value, name)
            case "purchased_before": query.purchasedBefore = try date(value, name)
            case "errors":
                switch value.lowercased() {
                case "yes", "true": query.hasErrors = true
                case "no", "false": query.hasErrors = false
                default: throw .badRequest(field: name, "expected yes or no")
                }
            case "limit":
                guard let limit = Int(value), (1...options.maxPageSize).contains(limit) else {
                    throw .badRequest(field: name, "expected a whole number from 1 to \(options.maxPageSize)")
                }
                query.limit = limit
            default:
                guard let after = Int64(value), after >= 0 else {
                    throw .badRequest(field: name, "expected the cursor of an earlier page")
                }
                query.after = after
            }
        }
        if let from = query.purchasedFrom, let before = query.purchasedBefore, before <= from {
            throw .badRequest(field: "purchased_before", "must be later than purchased_from")
        }
        return query
    }

    private static func date(_ text: String, _ name: String) throws(APIError) -> Date {
        guard let date = ISODate.parse(text) else {
            throw .badRequest(field: name, "\"\(text)\" is not an ISO 8601 date or date-time")
        }
        return date
    }
}
