import Foundation

/// One HTTP request.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds the whole request may take.
    public var timeout: Int

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
                timeout: Int = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// A `multipart/form-data` request with text fields and one file (Mirakl's OF01 import).
    public static func multipart(url: String, headers: [(name: String, value: String)] = [], fields: [(String, String)],
                                 fileField: String, fileName: String, fileType: String, file: Data) -> HTTPRequest {
        let boundary = "syndic-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(fileName)\"\r\nContent-Type: \(fileType)\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return HTTPRequest(method: "POST", url: url,
                           headers: headers + [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body)
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
