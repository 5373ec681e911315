import Foundation
import SyndicCore
import SyndicStore
import Testing
@testable import SyndicEngine

/// Renames planned and applied by the engine, with real secrets: a renamed channel keeps its
/// credential status (fingerprints cover the address, so they are moved, not compared as is).
struct ReconcilerRenameTests {
    static func renamed(_ text: String) -> String {
        text.replacingOccurrences(of: "  name: mirakl_fr\n", with: "  name: mirakl_france\n  formerNames: [mirakl_fr]\n")
    }

    @Test func aRenamedChannelKeepsItsCredentialStatusAndShowsNoRotation() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        try workspace.store.markCredentialsValid(kind: .channel, name: "mirakl_fr", at: EngineWorkspace.now)
        try workspace.write("mirakl_fr.yaml", Self.renamed(EngineWorkspace.mirakl()))

        let planned = try workspace.reconciler().plan()
        #expect(planned.plan.changes.map { "\($0.action.rawValue) \($0.address)" } == ["rename channel.mirakl_france"])
        _ = try workspace.reconciler().apply(planned, confirmedDeletes: [], user: "test")

        let states = try workspace.store.channelStates(named: "mirakl_france")
        #expect(states.first?.credentials.map(\.status) == ["valid"])
        #expect(try workspace.reconciler().plan().plan.changes.isEmpty)
    }

    @Test func aRenamedChannelWhoseSecretChangedIsRotated() throws {
        let workspace = try EngineWorkspace()
        try workspace.apply()
        try workspace.store.markCredentialsValid(kind: .channel, name: "mirakl_fr", at: EngineWorkspace.now)
        try workspace.write("mirakl_fr.yaml", Self.renamed(EngineWorkspace.mirakl()))
        let environment = ["MIRAKL_FR_KEY": "mirakl-key-value-2"]

        let planned = try workspace.reconciler(environment: environment).plan()
        #expect(planned.plan.changes.map(\.action) == [.rename, .rotate])
        _ = try workspace.reconciler(environment: environment).apply(planned, confirmedDeletes: [], user: "test")
        let states = try workspace.store.channelStates(named: "mirakl_france")
        #expect(states.first?.credentials.map(\.status) == ["unknown"])
        #expect(try workspace.reconciler(environment: environment).plan().plan.changes.isEmpty)
    }
}
