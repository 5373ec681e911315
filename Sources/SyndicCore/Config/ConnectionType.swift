/// The type of a `Connection` resource (`spec.type`): a product source (a PIM or a catalog
/// file) or a file storage. Raw values are what the YAML says; the cases are in the order the
/// schema lists them.
public enum ConnectionType: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// An Akeneo PIM read through its REST API.
    case akeneo
    /// A JSON-lines file of products.
    case catalogFile = "catalog-file"
    /// An FTP server.
    case ftp
    /// An FTP server over TLS.
    case ftps
    /// An SSH file transfer server.
    case sftp
    /// A local directory.
    case local

    /// The types a channel may read products from (`source.connection`), in the order
    /// messages and the schema list them.
    public static let productSources: [ConnectionType] = [.akeneo, .catalogFile]

    /// The types a channel may write files to or read files from (`storage.connection`), in
    /// the order messages and the schema list them.
    public static let storages: [ConnectionType] = [.local, .ftp, .ftps, .sftp]

    /// The type a connection spec names in `type`; nil when it names none or an unknown one.
    public init?(of spec: Value) {
        guard let text = spec["type"]?.stringValue else { return nil }
        self.init(rawValue: text)
    }

    /// The name as written in the YAML (`catalog-file`).
    public var description: String { rawValue }

    /// Whether a channel may read its products from a connection of this type.
    public var isProductSource: Bool {
        switch self {
        case .akeneo, .catalogFile: true
        case .ftp, .ftps, .sftp, .local: false
        }
    }

    /// Whether a channel may write files to or read files from a connection of this type.
    public var isStorage: Bool {
        switch self {
        case .local, .ftp, .ftps, .sftp: true
        case .akeneo, .catalogFile: false
        }
    }
}
