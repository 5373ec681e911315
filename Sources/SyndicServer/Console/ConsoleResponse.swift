import Foundation
import HTTPTypes
import Hummingbird

/// Answers of the console: HTML pages, redirects and downloads, each with headers that keep
/// pages out of caches and frames, and scripts and styles to the console's own.
enum ConsoleResponse {
    /// Only the console's own stylesheet and script; forms post to the console only.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        guarded(&headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303 to `location` (a path of the console), with cookies to set.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        guarded(&headers)
        return Response(status: .seeOther, headers: headers)
    }

    /// A file to download under `name`.
    static func download(_ data: Data, name: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/octet-stream",
                                   .contentDisposition: contentDisposition(name)]
        guarded(&headers)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A static asset of the console.
    static func asset(_ text: String, contentType: String) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache"]
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…`: a plain ASCII name for old clients,
    /// the exact name percent-encoded for the others.
    static func contentDisposition(_ name: String) -> String {
        let plain = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                ? Character(scalar) : "_"
        })
        return "attachment; filename=\"\(plain)\"; filename*=UTF-8''\(ConsoleQuery.encoded(name))"
    }

    private static func guarded(_ headers: inout HTTPFields) {
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[named: "X-Frame-Options"] = "DENY"
        headers[named: "Referrer-Policy"] = "no-referrer"
    }
}
