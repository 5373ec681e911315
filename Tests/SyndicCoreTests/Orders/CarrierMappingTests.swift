import Foundation
import Testing
@testable import SyndicCore

/// How an ERP's carrier code reaches a marketplace.
struct CarrierMappingTests {
    static let mappings: [String: CarrierMapping] = [
        "UP": CarrierMapping(code: "UPS"),
        "COURSIER": CarrierMapping(name: "Coursier Express", url: "https://track.example.com"),
    ]

    @Test(arguments: [
        ("UP", CarrierChoice.known(code: "UPS")),
        ("up", .known(code: "UPS")),
        ("COURSIER", .named(name: "Coursier Express", url: "https://track.example.com")),
        ("colissimo", .known(code: "COLISSIMO")),
        ("Poste Locale", .named(name: "Poste Locale", url: nil)),
    ])
    func resolves(_ code: String, _ expected: CarrierChoice) {
        #expect(CarrierChoice.resolve(code, mappings: Self.mappings, known: ["COLISSIMO", "DHL"]) == expected)
    }

    @Test func noCarrierIsNoChoice() {
        #expect(CarrierChoice.resolve(nil, mappings: Self.mappings, known: []) == nil)
        #expect(CarrierChoice.resolve("  ", mappings: Self.mappings, known: []) == nil)
    }

    @Test func decodesAStringOrAnObject() throws {
        let decoded = try JSONDecoder().decode([String: CarrierMapping].self, from: Data(#"""
            {"UP": "UPS", "X": {"name": "Coursier", "url": "https://t.example"}}
            """#.utf8))
        #expect(decoded == ["UP": CarrierMapping(code: "UPS"), "X": CarrierMapping(name: "Coursier", url: "https://t.example")])
    }
}
