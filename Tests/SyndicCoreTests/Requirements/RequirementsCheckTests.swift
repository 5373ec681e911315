import Foundation
import Testing
@testable import SyndicCore

/// A Mirakl channel's mapping against the marketplace's stored attributes (PM11).
@Suite struct RequirementsCheckTests {
    static let yaml = """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: mirakl_fr}
        spec:
          type: mirakl
          endpoint: https://marketplace.example.com
          source: {connection: pim}
          products:
            mapping:
              title: name~fr_FR
              prise: price@EUR
              shop_sku: {field: identifier}

        """

    static let requirements = RequirementSet(fetchedAt: Date(timeIntervalSince1970: 1_790_000_000), attributes: [
        MarketplaceAttribute(code: "title", label: "Title", type: "TEXT", required: true),
        MarketplaceAttribute(code: "price", label: "Price", type: "DECIMAL", required: true),
        MarketplaceAttribute(code: "shop_sku", required: true),
        MarketplaceAttribute(code: "ean", label: "EAN", required: true),
        MarketplaceAttribute(code: "color", required: false),
    ])

    static func channel(_ text: String = yaml, type: String? = nil) throws -> CompiledResource {
        let file = ConfigFile(relativePath: "mirakl_fr.yaml", displayPath: "channels/mirakl_fr.yaml",
                              text: type.map { text.replacingOccurrences(of: "type: mirakl", with: "type: \($0)") } ?? text)
        return try #require(DocumentCompiler.compile(file).resources.first)
    }

    @Test func unknownTargetsAreLocatedErrorsAndUnmappedRequiredOnesWarnings() throws {
        let diagnostics = RequirementsCheck.diagnostics(of: try Self.channel(), against: Self.requirements)
        #expect(diagnostics.map(\.description) == [
            "channels/mirakl_fr.yaml:11:14: error: mapping target \"prise\" is not an attribute of the marketplace (requirements synced 2026-09-21T14:13:20Z) (did you mean \"price\"?)",
            "channels/mirakl_fr.yaml:10:7: warning: the marketplace requires \"price\" (Price), which the mapping leaves unmapped",
            "channels/mirakl_fr.yaml:10:7: warning: the marketplace requires \"ean\" (EAN), which the mapping leaves unmapped",
        ])
    }

    @Test func aMappingThatMatchesTheMarketplaceIsClean() throws {
        let fixed = Self.yaml.replacingOccurrences(of: "prise: price@EUR", with: "price: price@EUR\n      ean: ean")
        #expect(RequirementsCheck.diagnostics(of: try Self.channel(fixed), against: Self.requirements).isEmpty)
    }

    @Test func onlyMiraklChannelsAreChecked() throws {
        #expect(RequirementsCheck.diagnostics(of: try Self.channel(type: "flat-file"), against: Self.requirements).isEmpty)
    }
}
