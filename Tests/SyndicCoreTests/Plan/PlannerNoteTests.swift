import Foundation
import Testing
@testable import SyndicCore

/// The planner records what a change does beyond its fields as typed notes: each scenario
/// gets its own case, with the data its wording needs.
@Suite struct PlannerNoteTests {
    typealias Fixture = PlannerTests

    static let suspension = Suspension(reason: "ERP outage", by: "ops@example",
                                       at: ISO8601DateFormatter().date(from: "2026-03-20T08:00:00Z")!)

    /// A flat-file channel exporting to the local folder with the mapping `mapping`.
    static func feed(mapping: String, delta: Bool) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: feed}
        spec:
          type: flat-file
          source: {connection: pim}
          products:
            mapping: \(mapping)
            export:
              delta: \(delta)
              storage: {connection: outbox}

        """
    }

    /// The channel changes of a plan from `before` to `after`.
    static func channelChange(from before: String, to after: String) throws -> Change {
        let plan = Fixture.plan(from: Fixture.resources(before), to: Fixture.resources(after))
        let changes = Fixture.channelChanges(plan)
        #expect(changes.count == 1, "\(changes)")
        return try #require(changes.first)
    }

    @Test func anInactiveChannelWithSchedulesIsNoted() throws {
        let plan = Fixture.planner.plan(desired: Fixture.desired(Fixture.resources(Fixture.mirakl())), actual: .empty)
        let create = try #require(plan.changes.first { $0.address == "channel.mirakl_fr" })
        #expect(create.notes == [.inactiveChannel])
    }

    @Test func aChannelDeleteNamesTheChannelToConfirm() throws {
        let plan = Fixture.plan(from: Fixture.resources(Fixture.mirakl()), to: Fixture.resources())
        let delete = try #require(plan.changes.first)
        #expect(delete.notes == [.deleteNeedsConfirmation(channel: "mirakl_fr")])
        #expect(delete.notes.map(\.text) == ["deletes the channel and all its data; apply needs --confirm-delete mirakl_fr"])
    }

    @Test func aRotationIsNoted() throws {
        let resources = Fixture.resources(Fixture.mirakl())
        let plan = Fixture.planner.plan(
            desired: Fixture.desired(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": Fixture.fingerprint("new")]]),
            actual: Fixture.actual(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": Fixture.fingerprint("old")]]))
        #expect(plan.changes.map(\.notes) == [[.credentialRotated]])
    }

    @Test func aRenameNotesItsKindAndBothNames() throws {
        let channel = try Self.channelChange(from: Fixture.mirakl(),
                                             to: PlannerRenameTests.renamed("mirakl_france", from: ["mirakl_fr"]))
        #expect(channel.notes == [.renamed(kind: .channel, from: "mirakl_fr", to: "mirakl_france")])

        let connections = TestConfig.connections.replacingOccurrences(of: "metadata: {name: outbox}",
                                                                      with: "metadata: {name: drop, formerNames: [outbox]}")
        let plan = Fixture.plan(from: Fixture.resources(), to: Fixture.resources(connections: connections))
        let rename = try #require(plan.changes.first { $0.action == .rename })
        #expect(rename.notes == [.renamed(kind: .connection, from: "outbox", to: "drop")])
    }

    @Test func aSuspensionIsNotedUnderTheNameTheChannelWillHave() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let kept = Fixture.planner.plan(desired: Fixture.desired(before),
                                        actual: Fixture.actual(before, suspensions: ["mirakl_fr": Self.suspension]))
        #expect(kept.notes == [.suspended(channel: "mirakl_fr", renamedFrom: nil, suspension: Self.suspension)])

        let after = Fixture.resources(PlannerRenameTests.renamed("mirakl_france", from: ["mirakl_fr"]))
        let renamed = Fixture.planner.plan(desired: Fixture.desired(after),
                                           actual: Fixture.actual(before, suspensions: ["mirakl_fr": Self.suspension]))
        #expect(renamed.notes == [.suspended(channel: "mirakl_france", renamedFrom: "mirakl_fr", suspension: Self.suspension)])
        #expect(renamed.notes.map(\.text) == [
            "channel.mirakl_france (renamed from mirakl_fr) is suspended since 2026-03-20T08:00:00Z by ops@example: "
                + "ERP outage — apply does not lift it; run `syndic resume mirakl_france`",
        ])
    }

    @Test func invalidCredentialsAreNotedWithTheProblem() {
        let resources = Fixture.resources(Fixture.mirakl())
        let plan = Fixture.planner.plan(desired: Fixture.desired(resources), actual: Fixture.actual(
            resources, credentialProblems: ["channel.mirakl_fr": "credentials.apiKey: 401 Unauthorized"]))
        #expect(plan.notes == [.invalidCredentials(address: "channel.mirakl_fr", problem: "credentials.apiKey: 401 Unauthorized")])
    }

    @Test(arguments: [true, false])
    func aColumnReorderNamesTheFileWhoseColumnsMove(_ delta: Bool) throws {
        let offers = try Self.channelChange(
            from: Fixture.mirakl(delta: delta, mapping: "{title: name~fr_FR, price: price@EUR}"),
            to: Fixture.mirakl(delta: delta, mapping: "{price: price@EUR, title: name~fr_FR}"))
        #expect(offers.action == .update)
        #expect(offers.fields.map(\.path) == [ColumnOrderChange.path])
        #expect(offers.notes == [.columnsReordered(file: .offerFile, deltaExport: delta)])

        let products = try Self.channelChange(from: Self.feed(mapping: "{sku: sku, title: name}", delta: delta),
                                              to: Self.feed(mapping: "{title: name, sku: sku}", delta: delta))
        #expect(products.notes == [.columnsReordered(file: .productFile, deltaExport: delta)])
    }

    @Test func anOutputChangeNotesWhatTheNextDeltaExportResends() throws {
        let change = try Self.channelChange(
            from: Fixture.mirakl(delta: true),
            to: Fixture.mirakl(delta: true, mapping: "{title: name~en_GB}", filter: "{families: [shoes]}"))
        #expect(change.notes == [.outputChanged(settings: ["products.mapping", "products.filter"], deltaExport: true)])
    }

    @Test func anOutputChangeWithAReorderNotesBoth() throws {
        let change = try Self.channelChange(from: Self.feed(mapping: "{sku: sku, title: name}", delta: true),
                                            to: Self.feed(mapping: "{title: name~en_GB, sku: sku}", delta: true))
        #expect(change.notes == [.outputChanged(settings: ["products.mapping"], deltaExport: true),
                                 .columnsReordered(file: .productFile, deltaExport: true)])
    }
}
