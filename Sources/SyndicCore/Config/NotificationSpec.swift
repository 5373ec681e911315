/// The typed spec of a `Notification` resource: where alerts go and which ones.
public struct NotificationSpec: Hashable, Sendable, Codable {
    /// `webhook` or `email`.
    public var type: String
    /// webhook: where events are POSTed.
    public var url: String?
    /// webhook: a bearer token.
    public var token: SecretReference?
    /// email: `smtp://host:port` or `smtps://host:port`.
    public var server: String?
    public var username: SecretReference?
    public var password: SecretReference?
    public var from: String?
    public var to: [String]?
    /// The alert kinds it takes; nil or empty means all.
    public var events: [String]?
    /// The channels whose alerts it takes; nil or empty means all.
    public var channels: [String]?

    /// Whether an alert of `kind` about `channel` goes to this notification. An alert about
    /// no single channel (channel "": a failed `reconcile --watch` cycle, the drift of a
    /// connection) goes to every notification that takes its kind, whatever its `channels`.
    public func takes(kind: String, channel: String) -> Bool {
        (events?.isEmpty ?? true || events!.contains(kind))
            && (channel.isEmpty || channels?.isEmpty ?? true || channels!.contains(channel))
    }
}
