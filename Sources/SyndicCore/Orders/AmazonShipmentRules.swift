import Foundation

/// What Amazon's confirmShipment requires of a package (orders API v0, `PackageDetail`),
/// checked when a shipment is reported rather than when it is pushed days later:
/// `packageReferenceId` is a positive number, `carrierCode` and `trackingNumber` are given.
/// A carrier Amazon does not know is sent as `Other` with its name, so any code is fine.
public enum AmazonShipmentRules {
    /// Why Amazon would refuse `request`, or nil.
    public static func problem(_ request: ShipmentRequest) -> String? {
        if !isPackageReference(request.packageID) {
            return "package_id \"\(request.packageID)\" is not accepted by Amazon: a package reference is a positive whole number (1, 2, …)"
        }
        if (request.carrierCode ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return "carrier_code is required by Amazon (a carrier it does not know is sent by name)"
        }
        if (request.trackingNumber ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return "tracking_number is required by Amazon"
        }
        return nil
    }

    /// Whether `text` is a positive whole number: digits only, not all zeros, at most 18.
    public static func isPackageReference(_ text: String) -> Bool {
        let digits = text.utf8
        return !digits.isEmpty && digits.count <= 18 && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
            && digits.contains { $0 != 48 }
    }
}
