import Foundation
import Testing
@testable import SyndicCore

/// Renames through `metadata.formerNames`: planned as one rename with its field changes,
/// never as a delete and a create.
struct PlannerRenameTests {
    typealias Fixture = PlannerTests

    /// The mirakl fixture under a new name that remembers its former ones.
    static func renamed(_ name: String, from former: [String], batchSize: Int = 500,
                        labels: String = "{team: emea}") -> String {
        Fixture.mirakl(name: name, batchSize: batchSize, labels: labels)
            .replacingOccurrences(of: "  labels:", with: "  formerNames: [\(former.joined(separator: ", "))]\n  labels:")
    }

    @Test func aRenameWithoutFieldChangesIsOneRename() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let after = Fixture.resources(Self.renamed("mirakl_france", from: ["mirakl_fr"]))
        let plan = Fixture.plan(from: before, to: after)
        #expect(plan.changes.count == 1)
        let rename = try #require(plan.changes.first)
        #expect(rename.action == .rename)
        #expect(rename.address == "channel.mirakl_france")
        #expect(rename.formerAddress == "channel.mirakl_fr")
        #expect(rename.formerName == "mirakl_fr")
        #expect(rename.fields.isEmpty)
        #expect(rename.notes.contains { $0.text.hasPrefix("channel.mirakl_fr becomes channel.mirakl_france: its runs and logs") })
        #expect(plan.deletedChannels.isEmpty)
        #expect(plan.renames.map { "\($0.kind.rawValue) \($0.from) \($0.to)" } == ["Channel mirakl_fr mirakl_france"])
    }

    @Test func aRenameCarriesItsFieldChanges() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let after = Fixture.resources(Self.renamed("mirakl_france", from: ["mirakl_fr"], batchSize: 200,
                                                   labels: "{team: france}"))
        let plan = Fixture.plan(from: before, to: after)
        #expect(plan.changes.map(\.action) == [.rename])
        let rename = try #require(plan.changes.first)
        #expect(rename.fields == [
            FieldChange(path: "labels.team", before: "emea", after: "france"),
            FieldChange(path: "products.export.batchSize", before: "500", after: "200"),
        ])
    }

    @Test func aRenameKeepsTheOtherChangesOfTheResource() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let text = Self.renamed("mirakl_france", from: ["mirakl_fr"])
            .replacingOccurrences(of: "  type: mirakl", with: "  type: mirakl\n  status: active")
        let plan = Fixture.plan(from: before, to: Fixture.resources(text))
        #expect(plan.changes.map(\.action) == [.rename, .activate])
        #expect(plan.changes.allSatisfy { $0.address == "channel.mirakl_france" })
    }

    @Test func aFormerNameNotInTheStateIsACreate() throws {
        let after = Fixture.resources(Self.renamed("mirakl_france", from: ["mirakl_old"]))
        let plan = Fixture.plan(from: Fixture.resources(), to: after)
        #expect(plan.changes.filter { $0.kind == .channel }.map(\.action) == [.create])
    }

    @Test func anAppliedNewNameWinsOverTheFormerName() throws {
        // Both names are in the state: the former one is an ordinary delete.
        let both = Fixture.resources(Fixture.mirakl(), Fixture.mirakl(name: "mirakl_france"))
        let after = Fixture.resources(Self.renamed("mirakl_france", from: ["mirakl_fr"]))
        let plan = Fixture.plan(from: both, to: after)
        #expect(plan.changes.map(\.action) == [.delete])
        #expect(plan.deletedChannels == ["mirakl_fr"])
    }

    @Test func theFirstFormerNameInTheStateIsTaken() throws {
        let before = Fixture.resources(Fixture.mirakl(name: "mirakl_b"))
        let after = Fixture.resources(Self.renamed("mirakl_c", from: ["mirakl_a", "mirakl_b"]))
        let plan = Fixture.plan(from: before, to: after)
        #expect(plan.changes.map(\.formerAddress) == ["channel.mirakl_b"])
    }

    @Test func aConnectionRenameWithItsReferencesSaysNothingIsResent() throws {
        let before = Fixture.resources(Fixture.mirakl(delta: true))
        let connections = TestConfig.connections.replacingOccurrences(
            of: "metadata: {name: pim}", with: "metadata: {name: akeneo, formerNames: [pim]}")
        let after = Fixture.resources(Fixture.mirakl(delta: true).replacingOccurrences(of: "{connection: pim}",
                                                                                       with: "{connection: akeneo}"),
                                      connections: connections)
        let plan = Fixture.plan(from: before, to: after)
        let rename = try #require(plan.changes.first { $0.action == .rename })
        #expect(rename.address == "connection.akeneo" && rename.formerAddress == "connection.pim")
        let update = try #require(plan.changes.first { $0.address == "channel.mirakl_fr" })
        #expect(update.fields == [FieldChange(path: "source.connection", before: "pim", after: "akeneo")])
        #expect(update.notes.isEmpty, "a reference that follows a rename resends nothing: \(update.notes)")
        #expect(plan.changes.allSatisfy { $0.action != .delete && $0.action != .create })
    }

    // MARK: - Validation

    @Test func aFormerNameStillDeclaredIsAnErrorWithBothLocations() throws {
        let validated = TestConfig.validate([
            (TestConfig.connectionsPath, TestConfig.connections),
            ("channels/a.yaml", Fixture.mirakl()),
            ("channels/b.yaml", Self.renamed("mirakl_france", from: ["mirakl_fr"])),
        ])
        let errors = validated.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.hasPrefix("channels/b.yaml:5:"), "located at the former name: \(error)")
        #expect(error.contains("channel.mirakl_fr is still declared at channels/a.yaml:4:"), "\(error)")
    }

    @Test func aFormerNameClaimedTwiceOrOwnIsAnError() throws {
        let twice = TestConfig.validate([
            (TestConfig.connectionsPath, TestConfig.connections),
            ("channels/a.yaml", Self.renamed("mirakl_a", from: ["mirakl_fr"])),
            ("channels/b.yaml", Self.renamed("mirakl_b", from: ["mirakl_fr"])),
        ]).diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(twice.count == 1)
        #expect(twice.first?.contains("is also a former name of channel.mirakl_a") == true, "\(twice)")
        let own = TestConfig.render(Self.renamed("mirakl_fr", from: ["mirakl_fr"]))
        #expect(own.contains { $0.contains("\"mirakl_fr\" is the resource's own name") }, "\(own)")
    }

    @Test func formerNamesSurviveTheParseCache() throws {
        let resource = try #require(Fixture.resources(Self.renamed("mirakl_france", from: ["mirakl_fr"]))
            .first { $0.kind == .channel })
        #expect(resource.formerNames.map(\.name) == ["mirakl_fr"])
        let cached = try #require(CompiledResource.fromCache(
            kind: resource.kind, name: resource.name, type: resource.type, labelsJSON: resource.labelsJSON,
            specJSON: resource.specJSON, facts: resource.cacheFacts, file: resource.file))
        #expect(cached.formerNames == resource.formerNames)
    }
}
