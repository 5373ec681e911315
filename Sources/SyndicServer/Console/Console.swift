import Foundation
import SyndicCore

/// The web console that `syndic serve` answers under `/`, beside the Orders API: channels,
/// runs and orders in a browser, with a session opened by a one-time login link.
public struct Console: Sendable {
    /// The state the console reads, and where suspensions, resumptions and manual runs go.
    public var store: any StateStore
    /// The console's public base URL (`https://syndic.example.com`): an https one makes the
    /// session cookie `Secure`. nil: only `X-Forwarded-Proto: https` does.
    public var baseURL: String?
    /// The clock of sessions, login codes and date filters (tests move it by hand).
    public var now: @Sendable () -> Date

    public init(store: any StateStore, baseURL: String? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.baseURL = baseURL
        self.now = now
    }

    /// Whether the console is reached over https by configuration.
    var publicURLIsHTTPS: Bool {
        baseURL?.lowercased().hasPrefix("https://") == true
    }
}
