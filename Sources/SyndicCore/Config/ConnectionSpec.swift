/// The typed spec of a `Connection` resource.
public struct ConnectionSpec: Hashable, Sendable, Codable {
    public var type: ConnectionType
    public var url: String?
    public var clientId: SecretReference?
    public var secret: SecretReference?
    public var username: SecretReference?
    public var password: SecretReference?
    public var privateKey: SecretReference?
    public var host: String?
    public var port: Int?
    public var path: String?
    /// ftps: the CA file to trust instead of the system's.
    public var caFile: String?
    /// sftp: the server's host key fingerprint.
    public var hostKey: String?
    /// akeneo: how many API calls syndic sends at once on this connection (1-4; Akeneo
    /// allows 4 per connection). Nil means the most, 4.
    public var maxConcurrentRequests: Int?
}
