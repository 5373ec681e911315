import Foundation
import Testing
@testable import SyndicCore

struct PlannerTests {
    // MARK: - Fixtures

    /// Friday 2026-03-27 12:00 UTC (13:00 in Paris); Paris springs forward on Sunday 29th.
    static let now = ISO8601DateFormatter().date(from: "2026-03-27T12:00:00Z")!
    static let planner = Planner(now: now)
    static let salt: [UInt8] = Array("test-salt".utf8)

    /// A mirakl channel, valid in every variation the tests use.
    static func mirakl(name: String = "mirakl_fr", status: String? = nil, timezone: String? = "Europe/Paris",
                       schedule: String? = #"{at: "02:30"}"#, delta: Bool? = nil, batchSize: Int = 500,
                       mapping: String = "{title: name~fr_FR}", filter: String? = nil, retrieval: Bool? = nil,
                       requirementsSync: String? = nil, labels: String = "{team: emea}",
                       endpoint: String = "https://mirakl.example/api") -> String {
        var lines = [
            "apiVersion: syndic/v1", "kind: Channel", "metadata:", "  name: \(name)", "  labels: \(labels)", "spec:",
            "  type: mirakl",
        ]
        if let status { lines.append("  status: \(status)") }
        if let timezone { lines.append("  timezone: \(timezone)") }
        lines += ["  endpoint: \(endpoint)", "  credentials: {apiKey: {env: MIRAKL_FR_KEY}}", "  source: {connection: pim}",
                  "  products:", "    mapping: \(mapping)"]
        if let filter { lines.append("    filter: \(filter)") }
        lines += ["    export:", "      batchSize: \(batchSize)"]
        if let schedule { lines.append("      schedule: \(schedule)") }
        if let delta { lines.append("      delta: \(delta)") }
        if let requirementsSync { lines.append("    requirementsSync: {schedule: \(requirementsSync)}") }
        if let retrieval { lines.append("  orders: {retrieval: \(retrieval)}") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Valid resources compiled from YAML texts (the shared connections come first).
    static func resources(_ texts: String..., connections: String = TestConfig.connections) -> [CompiledResource] {
        var files = [(path: TestConfig.connectionsPath, text: connections)]
        files += texts.enumerated().map { (path: "channels/file\($0.offset).yaml", text: $0.element) }
        let validated = TestConfig.validate(files)
        #expect(validated.diagnostics.filter { $0.severity == .error }.isEmpty, "fixture has errors: \(validated.diagnostics)")
        return validated.resources
    }

    /// The stored form of a compiled resource.
    static func applied(_ resource: CompiledResource) -> AppliedResource {
        AppliedResource(kind: resource.kind, name: resource.name, type: resource.type, specJSON: resource.specJSON,
                        labelsJSON: resource.labelsJSON, sourceFile: resource.file)
    }

    /// An actual state holding `resources` as applied.
    static func actual(_ resources: [CompiledResource], fingerprints: [String: [String: String]] = [:],
                       suspensions: [String: Suspension] = [:], ownedData: [String: [DataCount]] = [:],
                       credentialProblems: [String: String] = [:]) -> ActualState {
        ActualState(serial: 7, resources: Dictionary(uniqueKeysWithValues: resources.map { ($0.address, applied($0)) }),
                    fingerprints: fingerprints, suspensions: suspensions, ownedData: ownedData,
                    credentialProblems: credentialProblems)
    }

    static func desired(_ resources: [CompiledResource], fingerprints: [String: [String: String]] = [:]) -> DesiredState {
        DesiredState(resources: resources, fingerprints: fingerprints)
    }

    static func fingerprint(_ value: String, _ address: String = "channel.mirakl_fr",
                            _ path: String = "credentials.apiKey") -> String {
        Fingerprint.of(value: Array(value.utf8), address: address, path: path, salt: salt)
    }

    /// Plans `after` against a state holding `before`.
    static func plan(from before: [CompiledResource], to after: [CompiledResource]) -> Plan {
        planner.plan(desired: desired(after), actual: actual(before))
    }

    static func channelChanges(_ plan: Plan) -> [Change] { plan.changes.filter { $0.kind == .channel } }

    static let parisAt0230 = ScheduledTimes(schedule: "daily at 02:30", next: [
        "2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00",
    ])
    static let parisAt0400 = ScheduledTimes(schedule: "daily at 04:00", next: [
        "2026-03-28T04:00:00+01:00", "2026-03-29T04:00:00+02:00", "2026-03-30T04:00:00+02:00",
    ])
    static let inactiveNote = ChangeNote.inactiveChannel

    // MARK: - Create

    @Test func createsConnectionsBeforeChannelsWithEveryField() throws {
        let plan = Self.planner.plan(desired: Self.desired(Self.resources(Self.mirakl())), actual: .empty)
        #expect(plan.changes.map(\.address) == [
            "connection.outbox", "connection.partner_ftp", "connection.pim", "channel.mirakl_fr",
        ])
        #expect(plan.changes.allSatisfy { $0.action == .create })
        #expect(plan.summary.map { "\($0.action.rawValue)=\($0.count)" } == [
            "create=4", "rename=0", "update=0", "delete=0", "rotate=0", "activate=0", "deactivate=0", "schedule=0",
            "unschedule=0",
        ])

        let channel = try #require(plan.changes.last)
        #expect(channel.fields == [
            FieldChange(path: "credentials.apiKey.env", before: nil, after: "MIRAKL_FR_KEY"),
            FieldChange(path: "endpoint", before: nil, after: "https://mirakl.example/api"),
            FieldChange(path: "products.export.batchSize", before: nil, after: "500"),
            FieldChange(path: "products.export.schedule.at", before: nil, after: "02:30"),
            FieldChange(path: "products.mapping.title", before: nil, after: "name~fr_FR"),
            FieldChange(path: "source.connection", before: nil, after: "pim"),
            FieldChange(path: "timezone", before: nil, after: "Europe/Paris"),
            FieldChange(path: "type", before: nil, after: "mirakl"),
            FieldChange(path: "labels.team", before: nil, after: "emea"),
        ])
        #expect(channel.schedules == [
            ScheduleChange(job: .productExport, timeZone: "Europe/Paris", before: nil, after: Self.parisAt0230),
        ])
        #expect(channel.notes == [Self.inactiveNote])
        #expect(channel.data.isEmpty)

        let ftp = try #require(plan.changes.first { $0.address == "connection.partner_ftp" })
        #expect(ftp.fields.map { "\($0.path)=\($0.after ?? "nil")" } == [
            "host=ftp.partner.example", "password.env=FTP_PASSWORD", "type=ftp", "username.env=FTP_USER",
        ])
        #expect(ftp.schedules.isEmpty)
        #expect(ftp.notes.isEmpty)
    }

    @Test func createOfAnActiveChannelHasNoInactiveNoteAndListsEveryJob() throws {
        let plan = Self.planner.plan(desired: Self.desired(Self.resources(Self.mirakl(status: "active", timezone: nil,
                                                                                       schedule: "{every: 15m}",
                                                                                       retrieval: true))),
                                     actual: .empty)
        let channel = try #require(plan.changes.last)
        #expect(channel.notes.isEmpty)
        #expect(channel.schedules == [
            ScheduleChange(job: .productExport, timeZone: "UTC", before: nil, after: ScheduledTimes(
                schedule: "every 15m", next: ["2026-03-27T12:15:00Z", "2026-03-27T12:30:00Z", "2026-03-27T12:45:00Z"])),
            ScheduleChange(job: .orderRetrieval, timeZone: "UTC", before: nil, after: ScheduledTimes(
                schedule: "every 5m", next: ["2026-03-27T12:05:00Z", "2026-03-27T12:10:00Z", "2026-03-27T12:15:00Z"])),
        ])
    }

    // MARK: - Update

    @Test func updateListsChangedFieldsWithBeforeAndAfter() throws {
        let before = Self.resources(Self.mirakl())
        let after = Self.resources(Self.mirakl(batchSize: 1000, labels: "{team: apac, tier: gold}",
                                               endpoint: "https://mirakl-v2.example/api"))
        let plan = Self.plan(from: before, to: after)
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.address == "channel.mirakl_fr")
        #expect(change.action == .update)
        #expect(change.fields == [
            FieldChange(path: "endpoint", before: "https://mirakl.example/api", after: "https://mirakl-v2.example/api"),
            FieldChange(path: "labels.team", before: "emea", after: "apac"),
            FieldChange(path: "labels.tier", before: nil, after: "gold"),
            FieldChange(path: "products.export.batchSize", before: "500", after: "1000"),
        ])
        #expect(change.notes.isEmpty)
        #expect(change.schedules.isEmpty)
    }

    @Test func removedFieldHasNoAfter() throws {
        let before = Self.resources(Self.mirakl(delta: false))
        let after = Self.resources(Self.mirakl())
        let change = try #require(Self.plan(from: before, to: after).changes.first)
        #expect(change.fields == [FieldChange(path: "products.export.delta", before: "false", after: nil)])
    }

    @Test func connectionUpdateIsFieldLevel() throws {
        let changed = TestConfig.connections.replacingOccurrences(of: "path: out}", with: "path: /srv/out}")
        let plan = Self.plan(from: Self.resources(), to: Self.resources(connections: changed))
        #expect(plan.changes == [Change(address: "connection.outbox", kind: .connection, name: "outbox", action: .update,
                                        fields: [FieldChange(path: "path", before: "out", after: "/srv/out")])])
    }

    // MARK: - Delete

    @Test func deleteOfAChannelCarriesItsDataAndTheConfirmNote() throws {
        let before = Self.resources(Self.mirakl())
        let counts = [DataCount(label: "credential fingerprints", count: 1), DataCount(label: "suspensions", count: 1)]
        let plan = Self.planner.plan(desired: Self.desired(Self.resources()),
                                     actual: Self.actual(before, ownedData: ["mirakl_fr": counts]))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .delete,
            schedules: [ScheduleChange(job: .productExport, timeZone: "Europe/Paris", before: Self.parisAt0230, after: nil)],
            data: counts,
            notes: [.deleteNeedsConfirmation(channel: "mirakl_fr")])])
        #expect(plan.deletedChannels == ["mirakl_fr"])
    }

    /// A resource applied with `syndic/protect: "true"` is deleted by no plan: the delete is
    /// planned, and marked blocked. Any other value of the label protects nothing.
    @Test func deleteOfAProtectedResourceIsBlocked() throws {
        let protected = Self.resources(Self.mirakl(labels: #"{team: emea, "syndic/protect": "true"}"#))
        let plan = Self.planner.plan(desired: Self.desired(Self.resources()), actual: Self.actual(protected))
        let delete = try #require(plan.changes.first { $0.address == "channel.mirakl_fr" })
        #expect(delete.action == .delete)
        #expect(delete.blocked == #"protected by the label syndic/protect: "true"; apply a change that removes "#
            + "the label first, then delete it")
        #expect(plan.blockedDeletes.map(\.address) == ["channel.mirakl_fr"])
        for value in ["false", "yes", ""] {
            let open = Self.resources(Self.mirakl(labels: #"{"syndic/protect": "\#(value)"}"#))
            let unblocked = Self.planner.plan(desired: Self.desired(Self.resources()), actual: Self.actual(open))
            #expect(unblocked.blockedDeletes.isEmpty, "syndic/protect: \(value)")
        }
        // Keeping the resource, or changing it, is not blocked.
        let kept = Self.planner.plan(desired: Self.desired(protected), actual: Self.actual(protected))
        #expect(kept.blockedDeletes.isEmpty)
    }

    @Test func deleteOfAConnectionNeedsNoConfirmation() throws {
        let plan = Self.planner.plan(desired: Self.desired([]), actual: Self.actual(Self.resources()))
        #expect(plan.changes.map(\.address) == ["connection.outbox", "connection.partner_ftp", "connection.pim"])
        #expect(plan.changes.allSatisfy { $0.action == .delete && $0.notes.isEmpty && $0.data.isEmpty })
        #expect(plan.deletedChannels.isEmpty)
    }

    /// `ownedData` is keyed by channel name: a connection that shares a channel's name must
    /// not be shown as taking the channel's data with it.
    @Test func deletedConnectionDoesNotClaimTheDataOfAChannelWithTheSameName() throws {
        let channel = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: outbox}
            spec: {type: flat-file, source: {connection: pim}, products: {export: {storage: {connection: partner_ftp}}}}
            """
        let all = Self.resources(channel)
        let kept = all.filter { $0.address != "connection.outbox" }
        let counts = [DataCount(label: "credential fingerprints", count: 3), DataCount(label: "suspensions", count: 1)]
        let plan = Self.planner.plan(desired: Self.desired(kept), actual: Self.actual(all, ownedData: ["outbox": counts]))
        let delete = try #require(plan.changes.first { $0.action == .delete })
        #expect(delete.address == "connection.outbox")
        #expect(delete.data.isEmpty)
    }

    // MARK: - Rotate

    @Test func rotationShowsFingerprintPrefixesOnly() throws {
        let resources = Self.resources(Self.mirakl())
        let old = Self.fingerprint("old-secret-value"), new = Self.fingerprint("new-secret-value")
        #expect(old != new)
        let plan = Self.planner.plan(
            desired: Self.desired(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": new]]),
            actual: Self.actual(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": old]]))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .rotate,
            fields: [FieldChange(path: "credentials.apiKey", before: "fingerprint \(old.prefix(8))",
                                 after: "fingerprint \(new.prefix(8))")],
            notes: [.credentialRotated])])

        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        for secret in ["old-secret-value", "new-secret-value", old, new] { #expect(!json.contains(secret)) }
    }

    @Test func newOrRemovedSecretIsNotARotation() {
        let resources = Self.resources(Self.mirakl())
        let fingerprint = Self.fingerprint("value")
        let added = Self.planner.plan(
            desired: Self.desired(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": fingerprint]]),
            actual: Self.actual(resources))
        #expect(added.changes.isEmpty)
        let removed = Self.planner.plan(
            desired: Self.desired(resources),
            actual: Self.actual(resources, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": fingerprint]]))
        #expect(removed.changes.isEmpty)
    }

    // MARK: - Activate and deactivate

    @Test(arguments: [
        (nil, "active", ChangeAction.activate, "inactive", "active"),
        ("inactive", "active", .activate, "inactive", "active"),
        ("active", "inactive", .deactivate, "active", "inactive"),
        ("active", nil, .deactivate, "active", "inactive"),
    ] as [(String?, String?, ChangeAction, String, String)])
    func statusChangeIsAnActivation(_ from: String?, _ to: String?, _ action: ChangeAction,
                                    _ before: String, _ after: String) {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: from)), to: Self.resources(Self.mirakl(status: to)))
        #expect(plan.changes == [Change(address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: action,
                                        fields: [FieldChange(path: "status", before: before, after: after)])])
    }

    @Test func writingTheDefaultStatusIsAnUpdateNotAnActivation() throws {
        let plan = Self.plan(from: Self.resources(Self.mirakl()), to: Self.resources(Self.mirakl(status: "inactive")))
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes.first?.fields == [FieldChange(path: "status", before: nil, after: "inactive")])
    }

    // MARK: - Schedules

    @Test func schedulingShowsTheNextThreeFireTimesInTheChannelZone() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(schedule: nil)), to: Self.resources(Self.mirakl()))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .schedule,
            schedules: [ScheduleChange(job: .productExport, timeZone: "Europe/Paris", before: nil, after: Self.parisAt0230)],
            notes: [Self.inactiveNote])])
    }

    @Test func unschedulingShowsTheTimesThatNoLongerFire() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: "active")),
                             to: Self.resources(Self.mirakl(status: "active", schedule: nil)))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .unschedule,
            schedules: [ScheduleChange(job: .productExport, timeZone: "Europe/Paris", before: Self.parisAt0230, after: nil)])])
    }

    @Test func reschedulingShowsBeforeAndAfter() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: "active")),
                             to: Self.resources(Self.mirakl(status: "active", schedule: #"{at: "04:00"}"#)))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .schedule,
            schedules: [ScheduleChange(job: .productExport, timeZone: "Europe/Paris", before: Self.parisAt0230,
                                       after: Self.parisAt0400)])])
    }

    @Test func changingTheZoneReschedulesInBothZones() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: "active", timezone: nil)),
                             to: Self.resources(Self.mirakl(status: "active")))
        #expect(plan.changes == [
            Change(address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .update,
                   fields: [FieldChange(path: "timezone", before: nil, after: "Europe/Paris")]),
            Change(address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .schedule,
                   schedules: [ScheduleChange(
                    job: .productExport, timeZone: "Europe/Paris",
                    before: ScheduledTimes(schedule: "daily at 02:30", next: [
                        "2026-03-28T02:30:00Z", "2026-03-29T02:30:00Z", "2026-03-30T02:30:00Z"]),
                    after: Self.parisAt0230)]),
        ])
    }

    @Test func turningOrderRetrievalOnSchedulesItEveryFiveMinutes() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: "active", retrieval: false)),
                             to: Self.resources(Self.mirakl(status: "active", retrieval: true)))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .schedule,
            schedules: [ScheduleChange(job: .orderRetrieval, timeZone: "Europe/Paris", before: nil, after: ScheduledTimes(
                schedule: "every 5m",
                next: ["2026-03-27T13:05:00+01:00", "2026-03-27T13:10:00+01:00", "2026-03-27T13:15:00+01:00"]))])])
    }

    @Test func equivalentScheduleIsAnUpdateOnly() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(schedule: "{every: 60m}")),
                             to: Self.resources(Self.mirakl(schedule: "{every: 1h}")))
        #expect(plan.changes == [Change(
            address: "channel.mirakl_fr", kind: .channel, name: "mirakl_fr", action: .update,
            fields: [FieldChange(path: "products.export.schedule.every", before: "60m", after: "1h")])])
    }

    // MARK: - Delta notes

    @Test(arguments: [
        (true, "{title: name~en_GB}", nil,
         "products.mapping changed: the next delta export resends every product whose mapped output changed"),
        (false, "{title: name~en_GB}", nil,
         "products.mapping changed: the next export sends the new output (delta export is off, every export is full)"),
        (true, "{title: name~fr_FR}", "{families: [shoes]}",
         "products.filter changed: the next delta export resends products newly matching the filter and every product whose mapped output changed"),
        (true, "{title: name~fr_FR, brand: brand}", "{families: [shoes]}",
         "products.mapping, products.filter changed: the next delta export resends products newly matching the filter and every product whose mapped output changed"),
    ] as [(Bool, String, String?, String)])
    func mappingOrFilterChangeTellsWhatTheNextExportSends(_ delta: Bool, _ mapping: String, _ filter: String?,
                                                          _ note: String) throws {
        let plan = Self.plan(from: Self.resources(Self.mirakl(delta: delta)),
                             to: Self.resources(Self.mirakl(delta: delta, mapping: mapping, filter: filter)))
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.action == .update)
        #expect(change.notes.map(\.text) == [note])
    }

    @Test func mappingChangeFieldsAreKeyedByTarget() throws {
        let plan = Self.plan(from: Self.resources(Self.mirakl(delta: true)),
                             to: Self.resources(Self.mirakl(delta: true, mapping: "{title: name~en_GB, price: price@EUR}")))
        #expect(plan.changes.first?.fields == [
            FieldChange(path: "products.mapping.price", before: nil, after: "price@EUR"),
            FieldChange(path: "products.mapping.title", before: "name~fr_FR", after: "name~en_GB"),
        ])
    }

    // MARK: - Ordering

    @Test func connectionsComeFirstAndDeletesLastChannelsBeforeConnections() {
        let oldChannel = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: old_feed}
            spec: {type: flat-file, source: {connection: old_pim}, products: {export: {storage: {connection: outbox}}}}
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: old_pim}
            spec: {type: catalog-file, path: old.jsonl}
            """
        let feed = { (name: String) in """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: \(name)}
            spec: {type: flat-file, source: {connection: pim}, products: {export: {storage: {connection: outbox}}}}
            """ }
        let before = Self.resources(oldChannel).filter { $0.address != "connection.pim" }
        let changedConnections = TestConfig.connections.replacingOccurrences(of: "path: out}", with: "path: /srv/out}")
        let after = Self.resources(feed("b_feed"), feed("a_feed"), connections: changedConnections)
            .filter { $0.address != "connection.partner_ftp" }
        let plan = Self.plan(from: before, to: after)
        #expect(plan.changes.map { "\($0.action.symbol) \($0.address)" } == [
            "~ connection.outbox", "+ connection.pim", "+ channel.a_feed", "+ channel.b_feed",
            "- channel.old_feed", "- connection.old_pim", "- connection.partner_ftp",
        ])
    }

    @Test func changesOfOneResourceFollowTheActionOrder() {
        let old = Self.fingerprint("old"), new = Self.fingerprint("new")
        let before = Self.resources(Self.mirakl(schedule: nil))
        let after = Self.resources(Self.mirakl(status: "active", batchSize: 100))
        let plan = Self.planner.plan(
            desired: Self.desired(after, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": new]]),
            actual: Self.actual(before, fingerprints: ["channel.mirakl_fr": ["credentials.apiKey": old]]))
        #expect(plan.changes.map(\.action) == [.update, .rotate, .activate, .schedule])
        #expect(plan.changes.first?.fields == [FieldChange(path: "products.export.batchSize", before: "500", after: "100")])
        // The channel is active in the desired state: no "inactive" note on its schedule.
        #expect(plan.changes.last?.notes == [])
    }

    @Test func schedulesOnAndOffInOneChangeSet() {
        let plan = Self.plan(from: Self.resources(Self.mirakl(status: "active")),
                             to: Self.resources(Self.mirakl(status: "active", schedule: nil,
                                                            requirementsSync: #"{at: "01:00", days: [sun]}"#)))
        #expect(plan.changes.map(\.action) == [.schedule, .unschedule])
        #expect(plan.changes.first?.schedules == [ScheduleChange(
            job: .requirementsSync, timeZone: "Europe/Paris", before: nil,
            after: ScheduledTimes(schedule: "at 01:00 on sun", next: [
                "2026-03-29T01:00:00+01:00", "2026-04-05T01:00:00+02:00", "2026-04-12T01:00:00+02:00"]))])
        #expect(plan.changes.last?.schedules.map(\.job) == [.productExport])
    }

    // MARK: - Notes

    @Test func suspendedChannelIsNotedNotChanged() {
        let resources = Self.resources(Self.mirakl())
        let at = ISO8601DateFormatter().date(from: "2026-03-20T08:00:00Z")!
        let plan = Self.planner.plan(
            desired: Self.desired(resources),
            actual: Self.actual(resources, suspensions: ["mirakl_fr": Suspension(reason: "ERP outage", by: "ops@example", at: at)]))
        #expect(plan.changes.isEmpty)
        #expect(plan.notes.map(\.text) == [
            "channel.mirakl_fr is suspended since 2026-03-20T08:00:00Z by ops@example: ERP outage — apply does not lift it; run `syndic resume mirakl_fr`",
        ])
    }

    @Test func invalidCredentialsAreNotedForDesiredResourcesOnly() {
        let resources = Self.resources(Self.mirakl())
        let plan = Self.planner.plan(
            desired: Self.desired(resources),
            actual: Self.actual(resources, credentialProblems: [
                "channel.mirakl_fr": "credentials.apiKey: 401 Unauthorized",
                "channel.gone": "credentials.apiKey: rejected",
            ]))
        #expect(plan.notes.map(\.text) == [
            "channel.mirakl_fr has invalid credentials: credentials.apiKey: 401 Unauthorized — rotate the secret",
        ])
    }

    // MARK: - No-op

    @Test func desiredEqualToActualPlansNothing() {
        let resources = Self.resources(Self.mirakl(status: "active", delta: true, retrieval: true))
        let fingerprints = ["channel.mirakl_fr": ["credentials.apiKey": Self.fingerprint("k")],
                            "connection.partner_ftp": ["password": Self.fingerprint("p", "connection.partner_ftp", "password")]]
        let warning = Diagnostic.warning("kept", at: nil)
        let plan = Self.planner.plan(desired: Self.desired(resources, fingerprints: fingerprints),
                                     actual: Self.actual(resources, fingerprints: fingerprints), diagnostics: [warning])
        #expect(plan.changes.isEmpty)
        #expect(!plan.hasChanges)
        #expect(plan.notes.isEmpty)
        #expect(plan.diagnostics == [warning])
        #expect(plan.summary.allSatisfy { $0.count == 0 })
    }

    @Test func movingAResourceToAnotherFileIsNotAChange() {
        let resources = Self.resources(Self.mirakl())
        var state = Self.actual(resources)
        state.resources["channel.mirakl_fr"]?.sourceFile = "channels/old.yaml"
        #expect(Self.planner.plan(desired: Self.desired(resources), actual: state).changes.isEmpty)
    }

    // MARK: - Helpers

    @Test(arguments: [
        ("UTC", "2026-03-27T12:00:00Z"), ("Europe/Paris", "2026-03-27T13:00:00+01:00"),
        ("America/New_York", "2026-03-27T08:00:00-04:00"), ("Not/AZone", "2026-03-27T12:00:00Z"),
    ])
    func timestampsCarryTheZoneOffset(_ zone: String, _ text: String) {
        #expect(Planner.timestamp(Self.now, zone: zone) == text)
    }

    @Test func actionSymbolsAreStable() {
        #expect(ChangeAction.allCases.map(\.symbol) == ["+", "»", "~", "-", "⟳", "▲", "▼", "◷", "◌"])
        #expect(ChangeAction.allCases.map(\.verb) == ["create", "rename", "update", "delete", "rotate", "activate",
                                                      "deactivate", "schedule", "unschedule"])
    }
}
