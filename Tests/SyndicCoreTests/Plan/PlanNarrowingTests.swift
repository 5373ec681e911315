import Foundation
import Testing
@testable import SyndicCore

/// Targeted plans: the picked resources, what they need, and a list of what was left out.
struct PlanNarrowingTests {
    typealias Fixture = PlannerTests

    /// Narrows the plan from `before` to `after`.
    static func narrow(from before: [CompiledResource], to after: [CompiledResource],
                       _ selection: PlanSelection) throws(SelectionError) -> Plan {
        let desired = Fixture.desired(after), actual = Fixture.actual(before)
        let plan = Fixture.planner.plan(desired: desired, actual: actual)
        return try PlanNarrowing(desired: desired, actual: actual).narrow(plan, to: selection)
    }

    static let twoChannels = [Fixture.mirakl(name: "mirakl_fr", labels: "{team: emea}"),
                              Fixture.mirakl(name: "mirakl_de", labels: "{team: dach}")]

    @Test func aTargetPicksItsResourceAndListsTheRest() throws {
        let after = Fixture.resources(Fixture.mirakl(name: "mirakl_fr", batchSize: 100),
                                      Fixture.mirakl(name: "mirakl_de", batchSize: 100))
        let plan = try Self.narrow(from: Fixture.resources(Self.twoChannels[0], Self.twoChannels[1]), to: after,
                                   PlanSelection(targets: ["channel.mirakl_fr"]))
        #expect(plan.changes.map(\.address) == ["channel.mirakl_fr"])
        #expect(plan.partial?.leftOut == ["channel.mirakl_de"])
        #expect(plan.partial?.dependencies == [])
    }

    @Test func everythingIsTheWholePlan() throws {
        let plan = try Self.narrow(from: [], to: Fixture.resources(Fixture.mirakl()), PlanSelection())
        #expect(plan.partial == nil)
        #expect(plan.changes.count == 4)
    }

    @Test func aChangedConnectionATargetedChannelReferencesComesAlong() throws {
        // Nothing applied yet: the targeted channel needs its source connection created.
        let plan = try Self.narrow(from: [], to: Fixture.resources(Fixture.mirakl()),
                                   PlanSelection(targets: ["channel.mirakl_fr"]))
        #expect(plan.changes.map(\.address) == ["connection.pim", "channel.mirakl_fr"])
        #expect(plan.partial?.dependencies == ["connection.pim"])
        #expect(plan.partial?.leftOut == ["connection.outbox", "connection.partner_ftp"])
    }

    @Test func anUnchangedDependencyDoesNotComeAlong() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let plan = try Self.narrow(from: before, to: Fixture.resources(Fixture.mirakl(batchSize: 10)),
                                   PlanSelection(targets: ["channel.mirakl_fr"]))
        #expect(plan.changes.map(\.address) == ["channel.mirakl_fr"])
        #expect(plan.partial?.dependencies == [])
        #expect(plan.partial?.leftOut == [])
    }

    @Test func excludingANeededDependencyIsAnError() throws {
        do {
            _ = try Self.narrow(from: [], to: Fixture.resources(Fixture.mirakl()),
                                PlanSelection(targets: ["channel.mirakl_fr"], excludes: ["connection.pim"]))
            Issue.record("no error")
        } catch {
            #expect(error.message.hasPrefix("channel.mirakl_fr needs connection.pim (channel.mirakl_fr references it)"))
        }
    }

    @Test func aDeletedConnectionBringsTheChannelsThatReferencedIt() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let connections = TestConfig.connections.replacingOccurrences(of: "metadata: {name: pim}",
                                                                      with: "metadata: {name: akeneo}")
        let after = Fixture.resources(Fixture.mirakl().replacingOccurrences(of: "{connection: pim}", with: "{connection: akeneo}"),
                                      connections: connections)
        let plan = try Self.narrow(from: before, to: after, PlanSelection(targets: ["connection.pim"]))
        // The channel must follow, and it needs the new connection.
        #expect(Set(plan.changes.map(\.address)) == ["connection.pim", "channel.mirakl_fr", "connection.akeneo"])
        #expect(plan.partial?.dependencies == ["channel.mirakl_fr", "connection.akeneo"])
    }

    @Test func selectorsAndExclusionsPick() throws {
        let before = Fixture.resources(Self.twoChannels[0], Self.twoChannels[1])
        let after = Fixture.resources(Fixture.mirakl(name: "mirakl_fr", batchSize: 1, labels: "{team: emea}"),
                                      Fixture.mirakl(name: "mirakl_de", batchSize: 1, labels: "{team: dach}"))
        func picked(_ selection: PlanSelection) throws -> [String] {
            try Self.narrow(from: before, to: after, selection).changes.map(\.address)
        }
        #expect(try picked(PlanSelection(selectors: ["team=dach"])) == ["channel.mirakl_de"])
        #expect(try picked(PlanSelection(selectors: ["team!=dach"])) == ["channel.mirakl_fr"])
        #expect(try picked(PlanSelection(selectors: ["team"])) == ["channel.mirakl_de", "channel.mirakl_fr"])
        #expect(try picked(PlanSelection(selectors: ["!team"])) == [])
        #expect(try picked(PlanSelection(selectors: ["team=emea,team!=dach"])) == ["channel.mirakl_fr"])
        #expect(try picked(PlanSelection(excludes: ["channel.mirakl_fr"])) == ["channel.mirakl_de"])
    }

    @Test func aDeleteIsPickedByItsStoredLabels() throws {
        let before = Fixture.resources(Self.twoChannels[0], Self.twoChannels[1])
        let after = Fixture.resources(Self.twoChannels[0])
        let plan = try Self.narrow(from: before, to: after, PlanSelection(selectors: ["team=dach"]))
        #expect(plan.changes.map(\.action) == [.delete])
        #expect(plan.deletedChannels == ["mirakl_de"])
    }

    @Test func aRenameAnswersToBothAddresses() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let after = Fixture.resources(PlannerRenameTests.renamed("mirakl_france", from: ["mirakl_fr"]))
        for target in ["channel.mirakl_fr", "channel.mirakl_france"] {
            let plan = try Self.narrow(from: before, to: after, PlanSelection(targets: [target]))
            #expect(plan.changes.map(\.action) == [.rename], "\(target)")
        }
    }

    @Test func aFormerNameStillNamesItsResourceOnceTheRenameIsApplied() throws {
        let renamed = Fixture.resources(PlannerRenameTests.renamed("mirakl_france", from: ["mirakl_fr"], batchSize: 9))
        let applied = Fixture.resources(PlannerRenameTests.renamed("mirakl_france", from: ["mirakl_fr"]))
        let plan = try Self.narrow(from: applied, to: renamed, PlanSelection(targets: ["channel.mirakl_fr"]))
        #expect(plan.changes.map(\.address) == ["channel.mirakl_france"])
        #expect(plan.partial?.leftOut == [])
    }

    @Test func unknownOrMalformedAddressesAndSelectorsAreErrors() throws {
        let before = Fixture.resources(Fixture.mirakl())
        let cases: [(PlanSelection, String)] = [
            (PlanSelection(targets: ["channel.nope"]), "--target channel.nope: no such resource in the configuration or the state"),
            (PlanSelection(excludes: ["widget.x"]), "--exclude widget.x: not a resource address; write channel.NAME, connection.NAME or notification.NAME"),
            (PlanSelection(targets: ["mirakl_fr"]), "--target mirakl_fr: not a resource address; write channel.NAME, connection.NAME or notification.NAME"),
            (PlanSelection(selectors: ["=x"]), "--selector =x: \"=x\" is not a label requirement; write key=value, key!=value, key or !key"),
        ]
        for (selection, message) in cases {
            do {
                _ = try Self.narrow(from: before, to: before, selection)
                Issue.record("no error for \(selection)")
            } catch {
                #expect(error.message == message)
            }
        }
    }

    @Test func labelRequirementsParse() {
        #expect(LabelRequirement("a=b") == LabelRequirement(key: "a", operation: .equals("b")))
        #expect(LabelRequirement("a == b") == LabelRequirement(key: "a", operation: .equals("b")))
        #expect(LabelRequirement("syndic/protect!=true") == LabelRequirement(key: "syndic/protect", operation: .differs("true")))
        #expect(LabelRequirement("!a") == LabelRequirement(key: "a", operation: .absent))
        #expect(LabelRequirement("a") == LabelRequirement(key: "a", operation: .exists))
        #expect(LabelRequirement("") == nil)
        #expect(LabelRequirement("a b=c") == nil)
        #expect(LabelRequirement(key: "a", operation: .differs("x")).matches([:]))
    }
}
