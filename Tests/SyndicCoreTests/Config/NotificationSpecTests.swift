import Foundation
import Testing
@testable import SyndicCore

/// Which notifications take which alerts: by kind and channel, and an alert about no single
/// channel (channel "") by kind alone.
struct NotificationSpecTests {
    static func spec(_ json: String) throws -> NotificationSpec {
        try JSONDecoder().decode(NotificationSpec.self, from: Data(json.utf8))
    }

    @Test func anAlertOfNoChannelGoesToEveryNotificationTakingItsKind() throws {
        let shopOnly = try Self.spec(#"{"type": "webhook", "channels": ["shop"], "events": ["drift", "apply-failed"]}"#)
        #expect(shopOnly.takes(kind: "apply-failed", channel: ""))
        #expect(shopOnly.takes(kind: "drift", channel: ""))
        #expect(shopOnly.takes(kind: "drift", channel: "shop"))
        #expect(!shopOnly.takes(kind: "drift", channel: "feed"))
        #expect(!shopOnly.takes(kind: "export-failed", channel: ""))

        let everything = try Self.spec(#"{"type": "email"}"#)
        #expect(everything.takes(kind: "apply-failed", channel: ""))
        #expect(everything.takes(kind: "drift", channel: "feed"))
    }
}
