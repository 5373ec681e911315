import Foundation
import Testing
@testable import SyndicCore

/// What Amazon's confirmShipment would refuse, found when a shipment is reported.
struct AmazonShipmentRulesTests {
    static func request(package: String = "1", tracking: String? = "1Z999", carrier: String? = "UPS") -> ShipmentRequest {
        ShipmentRequest(order: .marketplaceID("402-1"), packageID: package, trackingNumber: tracking, carrierCode: carrier,
                        shippingDate: Date(timeIntervalSince1970: 1_750_000_000), item: nil, quantity: nil)
    }

    @Test(arguments: ["1", "2", "42", "0007", "123456789012345678"])
    func positiveNumbersArePackageReferences(_ package: String) {
        #expect(AmazonShipmentRules.problem(Self.request(package: package)) == nil)
    }

    @Test(arguments: ["A1", "0", "000", "-3", "1.5", "", " 1", "1234567890123456789"])
    func otherPackageIDsAreRefused(_ package: String) throws {
        let problem = try #require(AmazonShipmentRules.problem(Self.request(package: package)))
        #expect(problem.contains("package_id \"\(package)\""))
        #expect(problem.contains("positive whole number"))
    }

    @Test func carrierAndTrackingAreRequired() {
        #expect(AmazonShipmentRules.problem(Self.request(carrier: nil))?.contains("carrier_code is required") == true)
        #expect(AmazonShipmentRules.problem(Self.request(carrier: " "))?.contains("carrier_code is required") == true)
        #expect(AmazonShipmentRules.problem(Self.request(tracking: nil))?.contains("tracking_number is required") == true)
        // Any carrier code goes: one Amazon does not know is sent as Other with its name.
        #expect(AmazonShipmentRules.problem(Self.request(carrier: "Poste Locale")) == nil)
    }
}
