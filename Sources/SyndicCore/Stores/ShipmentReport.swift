import Foundation

/// What became of an Orders API shipment request.
public enum ShipmentReport: Hashable, Sendable {
    /// Applied now: one outcome per reported item, in order.
    case applied([ShipmentOutcome])
    /// The idempotency key was seen with the same request: its first outcomes, unchanged
    /// (nothing applied again).
    case replayed([ShipmentOutcome])
    /// The idempotency key was seen with another request: nothing applied.
    case keyReused
}
