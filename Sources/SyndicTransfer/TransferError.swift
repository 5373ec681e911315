/// Why a transfer failed: what, where (the URL without credentials) and libcurl's reason.
public struct TransferError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The libcurl result code (0 when the failure is an HTTP status).
    public var code: Int
    /// The HTTP or FTP response code, when there was one.
    public var responseCode: Int
    public var message: String

    public init(code: Int, responseCode: Int = 0, message: String) {
        self.code = code
        self.responseCode = responseCode
        self.message = message
    }

    public var description: String { message }
}
