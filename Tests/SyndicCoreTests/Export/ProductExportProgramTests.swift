import Foundation
import Testing
@testable import SyndicCore

struct ProductExportProgramTests {
    static let spec = #"""
        {"type": "flat-file", "status": "active",
         "source": {"connection": "pim", "scope": "ecommerce", "locales": ["en_US", "fr_FR"]},
         "products": {
           "filter": {"enabled": true, "families": ["shoes"],
                      "attributes": [{"attribute": "color", "operator": "IN", "value": ["blue"]}]},
           "mapping": {"title": {"attribute": "name", "required": true}, "sku": "sku", "sizes": "sizes",
                       "family": {"field": "family"}, "label": {"value": "ACME"}},
           "export": {"delta": true, "valueSeparator": "|", "batchSize": 100, "schedule": {"every": "1h"}}}}
        """#

    static func product(uuid: String? = "u-1", identifier: String? = "P-1", enabled: Bool = true, family: String = "shoes",
                        color: String = "blue", name: String? = "Shoe") -> String {
        var members = [#""enabled": \#(enabled)"#, #""family": "\#(family)""#, #""categories": ["summer"]"#]
        if let uuid { members.append(#""uuid": "\#(uuid)""#) }
        if let identifier { members.append(#""identifier": "\#(identifier)""#) }
        var values = [#""sku": [{"locale": null, "scope": null, "data": "SKU-1"}]"#,
                      #""sizes": [{"locale": null, "scope": null, "data": ["40", "41"]}]"#,
                      #""color": [{"locale": null, "scope": null, "data": "\#(color)"}]"#,
                      #""weight": [{"locale": null, "scope": null, "data": {"amount": "1", "unit": "KILOGRAM"}}]"#]
        if let name {
            values.append(#""name": [{"locale": "de_DE", "scope": null, "data": "Schuh"}, {"locale": "en_US", "scope": null, "data": "\#(name)"}]"#)
        }
        return "{" + members.joined(separator: ", ") + #", "values": {"# + values.joined(separator: ", ") + "}}"
    }

    /// Processes one product in a full export: the outcome and the scratch it leaves.
    static func process(_ text: String, _ program: ProductExportProgram) -> (String, ProductExportProgram.Scratch) {
        var tracker = DeltaTracker(delta: false, specDigest: program.specDigest, previous: nil)
        var scratch = ProductExportProgram.Scratch()
        let outcome = ExportFixtures.withBytes(text) { program.process($0, tracker: &tracker, scratch: &scratch) }
        // A filtered-out product is explained by the filter's rejection of what was read.
        if case .filteredOut = outcome { return ("filteredOut: \(program.filter.rejection(of: scratch.fields) ?? "")", scratch) }
        return (ExportFixtures.label(outcome), scratch)
    }

    // MARK: - Outcomes

    @Test func sendsTheRowInTargetOrder() throws {
        let program = try ExportFixtures.program(Self.spec)
        #expect(program.mapping.targets == ["family", "label", "sizes", "sku", "title"])
        let (outcome, scratch) = Self.process(Self.product(), program)
        #expect(outcome == "send")
        #expect(scratch.row == ["shoes", "ACME", "40|41", "SKU-1", "Shoe"])
        #expect(scratch.key == "u-1")
    }

    @Test func legacyProductsAreKeyedByIdentifier() throws {
        let (outcome, scratch) = Self.process(Self.product(uuid: nil), try ExportFixtures.program(Self.spec))
        #expect(outcome == "send")
        #expect(scratch.key == "P-1")
    }

    @Test(arguments: [
        (ProductExportProgramTests.product(enabled: false), #"filteredOut: does not match enabled {"operator":"=","value":true}"#),
        (ProductExportProgramTests.product(family: "boots"), #"filteredOut: does not match family {"operator":"IN","value":["shoes"]}"#),
        (ProductExportProgramTests.product(color: "red"), #"filteredOut: does not match color {"operator":"IN","value":["blue"]}"#),
        (ProductExportProgramTests.product(enabled: false, name: nil), #"filteredOut: does not match enabled {"operator":"=","value":true}"#),
        (ProductExportProgramTests.product(name: nil), "skipped: missing required value for title (name)"),
        (ProductExportProgramTests.product(name: ""), "skipped: missing required value for title (name)"),
        ("", "invalid: invalid JSON at byte 0: empty product"),
        ("not json", "invalid: invalid JSON at byte 0: expected {"),
        (#"{"uuid": "u-1", "values": {"name": [}"#, "invalid: invalid JSON at byte 36: expected a value"),
        (ProductExportProgramTests.product(uuid: nil, identifier: nil), "invalid: the product has no uuid or identifier"),
        (ProductExportProgramTests.product(uuid: nil, identifier: ""), "invalid: the product has no uuid or identifier"),
        (#"{"uuid": 5, "enabled": true}"#, "invalid: the product has no uuid or identifier"),
    ])
    func outcomesSayWhy(_ text: String, _ expected: String) throws {
        #expect(Self.process(text, try ExportFixtures.program(Self.spec)).0 == expected)
    }

    @Test func readsOnlyWhatFilterAndMappingNeed() throws {
        let program = try ExportFixtures.program(Self.spec)
        let projection = program.scanner.projection
        #expect(projection.properties == ["uuid", "identifier", "enabled", "family"])
        #expect(projection.attributes == ["color", "name", "sizes", "sku"])
        #expect(projection.lookups["name"] == [AttributeLookup(attribute: "name", locale: "en_US", scope: "ecommerce")])
        #expect(projection.lookups["color"] == [AttributeLookup(attribute: "color", locale: nil, scope: nil)])
    }

    @Test func uncompilableChannelsThrow() throws {
        let badMapping = Self.spec.replacingOccurrences(of: #""sku": "sku""#, with: #""sku": "bad-code""#)
        #expect(throws: ExportProgramError.self) { try ExportFixtures.program(badMapping) }
        let badFilter = Self.spec.replacingOccurrences(of: #""operator": "IN""#, with: #""operator": "LIKE""#)
        #expect(throws: ExportProgramError.self) { try ExportFixtures.program(badFilter) }
    }

    // MARK: - Spec digest

    @Test(arguments: [
        // What shapes the output changes the digest.
        (#""scope": "ecommerce""#, #""scope": "print""#, true),
        (#""connection": "pim""#, #""connection": "other_pim""#, true),
        (#""families": ["shoes"]"#, #""families": ["shoes", "boots"]"#, true),
        (#""value": ["blue"]"#, #""value": ["red"]"#, true),
        (#""sku": "sku""#, #""sku": "sku~en_US""#, true),
        (#""label": {"value": "ACME"}"#, #""label": {"value": "ACME", "required": true}"#, true),
        (#""valueSeparator": "|""#, #""valueSeparator": ";""#, true),
        // How and when it is sent does not.
        (#""schedule": {"every": "1h"}"#, #""schedule": {"every": "6h"}"#, false),
        (#""delta": true"#, #""delta": false"#, false),
        (#""batchSize": 100"#, #""batchSize": 5"#, false),
        (#""status": "active""#, #""status": "inactive""#, false),
        // Nor does how the spec text is written.
        (#""sku": "sku", "sizes": "sizes""#, #""sizes": "sizes",   "sku": "sku""#, false),
    ])
    func specDigestFollowsWhatShapesTheOutput(_ original: String, _ replacement: String, _ changes: Bool) throws {
        #expect(Self.spec.contains(original))
        let base = try ExportFixtures.program(Self.spec)
        let variant = try ExportFixtures.program(Self.spec.replacingOccurrences(of: original, with: replacement))
        #expect((variant.specDigest != base.specDigest) == changes)
        #expect(base.specDigest.count == 64)
    }
}
