import Foundation
import SyndicCore
import SyndicEngine
import Testing

/// Plans check Mirakl mappings against the requirements the last requirements sync stored.
@Suite struct ReconcilerRequirementsTests {
    @Test func aStoredRequirementSetTurnsUnknownTargetsIntoLocatedPlanErrors() throws {
        let workspace = try EngineWorkspace()
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl().replacingOccurrences(
            of: "price: price@EUR}", with: "colour: color}"))
        try workspace.apply()
        // Applied: the file now comes from the parse cache, which keeps no location map. The
        // offer column "price" is known whatever PM11 says; "colour" is not.
        try workspace.store.saveRequirements(RequirementSet(fetchedAt: EngineWorkspace.now, attributes: [
            MarketplaceAttribute(code: "title", required: true),
            MarketplaceAttribute(code: "ean", label: "EAN", required: true),
        ]), channel: "mirakl_fr")
        do {
            _ = try workspace.reconciler().plan()
            Issue.record("the plan passed with a mapping target the marketplace does not know")
        } catch let failed as ValidationFailed {
            let lines = failed.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasSuffix("mirakl_fr.yaml:14:42: error: mapping target \"colour\" is not an attribute of the marketplace (requirements synced 2026-03-27T12:00:00Z)") }, "\(lines)")
            #expect(lines.contains { $0.hasSuffix("mirakl_fr.yaml:14:14: warning: the marketplace requires \"ean\" (EAN), which the mapping leaves unmapped") }, "\(lines)")
        }
        // Once the mapping follows the marketplace, the plan goes through.
        try workspace.write("mirakl_fr.yaml", EngineWorkspace.mirakl().replacingOccurrences(
            of: "mapping: {title: name~fr_FR, price: price@EUR}", with: "mapping: {title: name~fr_FR, price: price@EUR, ean: ean}"))
        let planned = try workspace.reconciler().plan()
        #expect(!planned.plan.diagnostics.contains { $0.severity == .error })
        #expect(!planned.plan.diagnostics.contains { $0.message.contains("the marketplace requires") })
    }
}
