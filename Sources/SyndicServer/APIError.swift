import Foundation
import Hummingbird
import SyndicCore

/// An error answer of the Orders API: `{"error": {"code", "message", "field"}}` with its
/// HTTP status. `field` names the query parameter, header or body field at fault.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    /// More members of the error object (the candidates of an ambiguous id).
    var extra: (@Sendable (inout JSONWriter) -> Void)?
    /// Headers of the answer (`Allow` of a 405).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil,
         extra: (@Sendable (inout JSONWriter) -> Void)? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra
    }

    static let unauthorized = APIError(.unauthorized, code: "unauthorized",
                                       message: "a valid access token is required: Authorization: Bearer <token>")

    static func badRequest(field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid", message: message, field: field)
    }

    /// 405 for a known path asked with a method it does not take; `Allow` lists those it takes.
    static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> APIError {
        var error = APIError(.methodNotAllowed, code: "method_not_allowed",
                             message: "\(path) takes \(allowed.joined(separator: ", ")), not \(method)")
        error.headers[.allow] = allowed.joined(separator: ", ")
        return error
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "too_large", message: "the request body is larger than \(limit) bytes", field: "body")
    }

    var response: Response {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("error"); json.beginObject()
        json.key("code"); json.string(code)
        json.key("message"); json.string(message)
        if let field { json.key("field"); json.string(field) }
        extra?(&json)
        json.endObject()
        json.endObject()
        var response = APIResponse.json(json, status: status)
        response.headers.append(contentsOf: headers)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"syndic\"" }
        return response
    }
}
