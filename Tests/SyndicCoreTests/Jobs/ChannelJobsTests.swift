import Foundation
import Testing
@testable import SyndicCore

struct ChannelJobsTests {
    static func spec(_ json: String) -> Value {
        try! CanonicalJSON.parse(json)
    }

    /// A channel with every job configured.
    static let everything = spec(#"""
        {"type":"mirakl","status":"active","timezone":"Europe/Paris","source":{"connection":"pim"},
         "products":{"mapping":{"title":"name~fr_FR"},"export":{"schedule":{"at":"02:30"}},
                     "requirementsSync":{"schedule":{"at":"01:00","days":["sun"]}}},
         "orders":{"retrieval":true,"confirmations":true,
                   "export":{"schedule":{"every":"15m"},"storage":{"connection":"ftp","folder":"/out"}},
                   "shipmentImport":{"schedule":{"cron":"5 */2 * * *"},"storage":{"connection":"ftp","folder":"/in"}}}}
        """#)

    // MARK: - Schedules

    @Test func everyScheduledJobIsReadFromItsKey() throws {
        let schedules = ChannelJobs.schedules(of: Self.everything)
        #expect(schedules == [
            .productExport: .daily(hour: 2, minute: 30),
            .requirementsSync: .weekly(hour: 1, minute: 0, days: [.sun]),
            .orderRetrieval: .every(minutes: 5),
            .confirmationPush: .every(minutes: 15),
            .orderExport: .every(minutes: 15),
            .shipmentImport: .cron(try CronExpression.parse("5 */2 * * *")),
        ])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: String
        var expected: [JobKind: Schedule]

        var testDescription: String { name }
    }

    static let scheduleCases: [Case] = [
        Case(name: "no schedule at all", spec: #"{"type":"mirakl","status":"active"}"#, expected: [:]),
        Case(name: "an export without schedule is not scheduled",
             spec: #"{"type":"mirakl","source":{"connection":"pim"},"products":{"mapping":{"t":"n"},"export":{"delta":true}}}"#,
             expected: [:]),
        Case(name: "order retrieval runs every 5 minutes when enabled", spec: #"{"orders":{"retrieval":true}}"#,
             expected: [.orderRetrieval: .every(minutes: 5)]),
        Case(name: "order retrieval off", spec: #"{"orders":{"retrieval":false}}"#, expected: [:]),
        Case(name: "confirmations run every 15 minutes when enabled", spec: #"{"orders":{"confirmations":true}}"#,
             expected: [.confirmationPush: .every(minutes: 15)]),
        Case(name: "confirmations off", spec: #"{"orders":{"confirmations":false}}"#, expected: [:]),
        Case(name: "an order export without schedule is not scheduled",
             spec: #"{"orders":{"export":{"storage":{"connection":"ftp"}}}}"#, expected: [:]),
        Case(name: "a schedule that does not parse is left out",
             spec: #"{"orders":{"export":{"schedule":{"every":"7m"}},"shipmentImport":{"schedule":{"every":"30m"}}}}"#,
             expected: [.shipmentImport: .every(minutes: 30)]),
        Case(name: "a schedule with two forms is left out",
             spec: #"{"orders":{"export":{"schedule":{"every":"15m","at":"02:00"}}}}"#, expected: [:]),
        Case(name: "an inactive channel still has its schedules (the gate is checked at each tick)",
             spec: #"{"status":"inactive","orders":{"retrieval":true}}"#, expected: [.orderRetrieval: .every(minutes: 5)]),
    ]

    @Test(arguments: scheduleCases)
    func schedules(_ test: Case) {
        #expect(ChannelJobs.schedules(of: Self.spec(test.spec)) == test.expected)
    }

    @Test func theFixedIntervalsAreTheSeeds() {
        #expect(ChannelJobs.retrievalInterval == .every(minutes: 5))
        #expect(ChannelJobs.confirmationInterval == .every(minutes: 15))
    }

    @Test func everyJobKindHasAControllingKey() {
        #expect(Set(ChannelJobs.controllingPaths.keys) == Set(JobKind.allCases))
        #expect(ChannelJobs.schedulePaths.allSatisfy { Set(ChannelJobs.controllingPaths.values).contains($0) })
    }

    @Test(arguments: [
        (#"{"at":"02:30"}"#, Schedule.daily(hour: 2, minute: 30)),
        (#"{"at":"09:00","days":["thu","mon"]}"#, .weekly(hour: 9, minute: 0, days: [.mon, .thu])),
        (#"{"every":"2h"}"#, .every(minutes: 120)),
        (#"{"every":"15m"}"#, .every(minutes: 15)),
    ])
    func parse(_ written: String, expected: Schedule) throws {
        #expect(try ChannelJobs.parse(Self.spec(written)) == expected)
    }

    @Test func parseRejectsABadSchedule() {
        #expect(throws: ScheduleError.self) { try ChannelJobs.parse(Self.spec(#"{"days":["mon"]}"#)) }
        #expect(throws: ScheduleError.self) { try ChannelJobs.parse(Self.spec("{}")) }
    }

    // MARK: - Status and zone

    @Test(arguments: [
        (#"{"status":"active"}"#, true),
        (#"{"status":"inactive"}"#, false),
        (#"{"type":"mirakl"}"#, false),
        (#"{"status":"Active"}"#, false),
        (#"{"status":true}"#, false),
    ])
    func isActive(_ spec: String, expected: Bool) {
        #expect(ChannelJobs.isActive(Self.spec(spec)) == expected)
    }

    @Test func schedulesAreReadInTheChannelsZoneOrUTC() {
        #expect(ChannelJobs.timeZone(of: Self.everything) == "Europe/Paris")
        #expect(ChannelJobs.timeZone(of: Self.spec(#"{"type":"mirakl"}"#)) == "UTC")
    }

    // MARK: - Available jobs

    static let availableCases: [(String, [JobKind])] = [
        ("{}", []),
        (#"{"type":"flat-file","source":{"connection":"pim"}}"#, [.productExport]),
        (#"{"type":"flat-file","products":{"mapping":{"t":"n"}}}"#, []),
        (#"{"type":"flat-file","source":{"connection":"pim"},"products":{"mapping":{"t":"n"}}}"#, [.productExport]),
        (#"{"type":"mirakl"}"#, [.requirementsSync]),
        (#"{"type":"amazon-seller","products":{"requirementsSync":{"schedule":{"at":"01:00"}}}}"#, []),
        (#"{"orders":{"retrieval":true,"confirmations":false}}"#, [.orderRetrieval]),
        (#"{"orders":{"retrieval":false,"confirmations":true}}"#, [.confirmationPush]),
        (#"{"orders":{"export":{"storage":{"connection":"ftp"}}}}"#, [.orderExport]),
        (#"{"orders":{"shipmentImport":{"storage":{"connection":"ftp"}}}}"#, [.shipmentImport]),
    ]

    @Test(arguments: availableCases)
    func available(_ spec: String, expected: [JobKind]) {
        #expect(ChannelJobs.available(in: Self.spec(spec)) == expected)
    }

    @Test func everyJobOfAFullChannelIsAvailableInKindOrder() {
        #expect(ChannelJobs.available(in: Self.everything) == JobKind.allCases)
    }

    /// The scheduler never runs a job that `syndic run` says the channel does not have.
    @Test(arguments: [
        ("a full channel", #"{"type":"mirakl","source":{"connection":"pim"},"products":{"mapping":{"t":"n"},"export":{"schedule":{"at":"02:30"}}},"orders":{"retrieval":true}}"#),
        ("a requirements sync scheduled on an Amazon channel", #"{"type":"amazon-seller","products":{"requirementsSync":{"schedule":{"at":"01:00"}}}}"#),
        ("an export scheduled without a mapping", #"{"type":"flat-file","source":{"connection":"pim"},"products":{"export":{"schedule":{"at":"02:30"},"storage":{"connection":"outbox"}}}}"#),
    ])
    func scheduledJobsAreAvailableJobs(_ name: String, _ spec: String) {
        let value = Self.spec(spec)
        let unavailable = Set(ChannelJobs.schedules(of: value).keys).subtracting(ChannelJobs.available(in: value))
        #expect(unavailable.isEmpty, "\(name): scheduled but not available: \(unavailable.map(\.rawValue).sorted())")
    }
}
