import Foundation
import Hummingbird
import SyndicCore

/// Responses of the Orders API.
enum APIResponse {
    static func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPFields {
    /// A header by name (for names HTTPTypes does not predefine, such as `Link`).
    subscript(named name: String) -> String? {
        get { self[.init(name)!] }
        set { self[.init(name)!] = newValue }
    }
}
