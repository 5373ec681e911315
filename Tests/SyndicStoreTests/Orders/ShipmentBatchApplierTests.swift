import Foundation
import SyndicCore
import Testing
@testable import SyndicStore
import SyndicTestSupport

/// Shipments applied in batches give exactly what one request at a time gives: the same
/// outcomes (rejection reasons included) and the same stored orders, lines, shipments, items,
/// change numbers and confirmation queue, whatever the batch size, on both backends.
@Suite struct ShipmentBatchApplierTests {
    typealias F = OrderFixtures

    /// Batch sizes compared with one request at a time (0).
    static let sizes = [1, 7, 500]

    @Test(arguments: StateBackend.allCases, [UInt64(2)])
    func randomFilesGiveTheSameOutcomesAndStateInBatchesAsOneAtATime(_ backend: StateBackend, _ seed: UInt64) throws {
        let files = Plan.files(seed: seed)
        let reference = try Run(backend, files: files, batchSize: 0)
        #expect(reference.outcomes.joined().contains(where: Self.isApplied), "the files apply something")
        #expect(reference.outcomes.joined().contains(.duplicate), "the files repeat requests")
        #expect(reference.outcomes.joined().contains(where: Self.isRejected), "the files reject something")
        for size in Self.sizes {
            let batched = try Run(backend, files: files, batchSize: size)
            for (file, (expected, actual)) in zip(reference.outcomes, batched.outcomes).enumerated() {
                for (row, (one, other)) in zip(expected, actual).enumerated() where one != other {
                    Issue.record("batches of \(size), file \(file), row \(row) (\(files[file][row])): \(other), not \(one)")
                }
                #expect(expected.count == actual.count)
            }
            #expect(batched.states == reference.states, "batches of \(size): the stored state differs")
        }
    }

    /// Requests handed out a few at a time, fewer than the batches ask for (as a file read
    /// while it is applied), give what one request at a time gives, on both backends.
    @Test(arguments: StateBackend.allCases)
    func requestsReadWhileTheyAreAppliedGiveTheSameOutcomesAndState(_ backend: StateBackend) throws {
        let files = Plan.files(seed: 3)
        let reference = try Run(backend, files: files, batchSize: 0)
        let trickled = try Run(backend, files: files, batchSize: nil)
        #expect(trickled.outcomes == reference.outcomes)
        #expect(trickled.states == reference.states, "the stored state differs")
    }

    /// SQLite takes a file's requests from its source one batch at a time, as it applies
    /// them, never asking for more than a batch: a file is not held whole.
    @Test func aSourceIsReadOneBatchAtATimeOnSQLite() throws {
        let workspace = try F.Workspace(.sqlite)
        let source = CountingSource(Plan.files(seed: 5, count: 1, rows: 1_234)[0].map { $0.request(ids: [:]) })
        let outcomes = try workspace.store.applyShipments(from: source, channel: "shop", source: "ftp:shipments.csv",
                                                          at: F.at(60))
        #expect(outcomes.count == 1_234)
        #expect(source.limits.allSatisfy { $0 == ShipmentBatchApplier.defaultSize }, "asked for \(source.limits)")
        #expect(source.limits.count == 4, "three batches, then the end")
    }

    /// PostgreSQL aborts a serializable transaction that conflicts with another and the store
    /// runs it again from its start: the second run still applies every request of the file,
    /// those of the batches before the conflict too (here a trigger fails the first attempt
    /// in the file's second batch, as a conflict would).
    @Test func aTransactionRunAgainAfterAConflictAppliesTheWholeFile() throws {
        let workspace = try F.Workspace(.postgres)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1]), F.order("B", quantities: [1])])
        for statement in [
            "CREATE SEQUENCE conflict_once",
            """
            CREATE FUNCTION conflict_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
              IF NEW.request_key LIKE 'm:B|%' AND nextval('conflict_once') = 1 THEN
                RAISE EXCEPTION 'conflict made by the test' USING ERRCODE = '40001';
              END IF; RETURN NEW; END $$
            """,
            "CREATE TRIGGER conflict_once BEFORE INSERT ON shipment_request FOR EACH ROW EXECUTE FUNCTION conflict_once()",
        ] { try RawState.execute(store, statement) }
        let first = F.shipment("A", item: .lineNumber(1), quantity: 1)
        let file = [first] + Array(repeating: first, count: ShipmentBatchApplier.defaultSize - 1) + [F.shipment("B")]
        let outcomes = try store.applyShipments(from: CountingSource(file), channel: "shop", source: "ftp:shipments.csv",
                                                at: F.at(60))
        #expect(try RawState.count(store, "SELECT last_value FROM conflict_once") == 2, "the transaction ran twice")
        #expect(outcomes.count == file.count)
        #expect(Self.isApplied(outcomes[0]) && Self.isApplied(outcomes[file.count - 1]), "\(outcomes[0]), \(outcomes.last!)")
        #expect(outcomes[1..<(file.count - 1)].allSatisfy { $0 == .duplicate })
        #expect(try Self.shipped(store, "A") == [1, 0])
        #expect(try Self.shipped(store, "B") == [1])
    }

    /// A file of several batches, cut into statements of every shape (the multi-row statements
    /// take slices of fixed sizes, up to 500 rows), gives what one request at a time gives.
    @Test func aFileOfSeveralBatchesGivesTheSameOutcomesAndStateAsOneAtATime() throws {
        let files = Plan.files(seed: 5, count: 1, rows: 1_234)
        let reference = try Run(.sqlite, files: files, batchSize: 0)
        #expect(reference.outcomes.joined().contains(where: Self.isApplied), "the file applies something")
        for size in [500, 333] {
            let batched = try Run(.sqlite, files: files, batchSize: size)
            #expect(batched.outcomes == reference.outcomes, "batches of \(size)")
            #expect(batched.states == reference.states, "batches of \(size): the stored state differs")
        }
    }

    /// A batch that fails after earlier batches of the file were written (here a trigger
    /// refuses the requests of order B) leaves nothing of the file: one transaction holds it.
    @Test(arguments: StateBackend.allCases)
    func aFailingBatchLeavesNothingOfTheFile(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        try F.upsert(store, [F.order("A", quantities: [2, 1]), F.order("B", quantities: [1])])
        let before = try F.stored(store, "A")
        let refuse: [String] = switch backend {
        case .sqlite:
            ["""
             CREATE TRIGGER refuse_b BEFORE INSERT ON shipment_request WHEN NEW.request_key LIKE 'm:B|%'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
             """]
        case .postgres:
            ["""
             CREATE FUNCTION refuse_b() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
               IF NEW.request_key LIKE 'm:B|%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$
             """,
             "CREATE TRIGGER refuse_b BEFORE INSERT ON shipment_request FOR EACH ROW EXECUTE FUNCTION refuse_b()"]
        }
        for statement in refuse { try RawState.execute(store, statement) }
        let file = [F.shipment("A", item: .lineNumber(1), quantity: 1), F.shipment("A", tracking: "T-2"), F.shipment("B")]
        #expect(throws: (any Error).self) { try Self.apply(store, file, batchSize: 2) }
        #expect(try Self.shipped(store, "A") == [0, 0])
        let after = try F.stored(store, "A")
        #expect(after.order.status == .waitingForShipment)
        #expect(after.changeSequence == before.changeSequence)
        #expect(try F.owned(store, "shop", "shipments") == 0)
        #expect(try F.owned(store, "shop", "shipment items") == 0)
        #expect(try F.owned(store, "shop", "shipment requests") == 0)
        #expect(try Self.hasItsSettingsBack(store), "the import's failure gives the connection its settings back")

        try RawState.execute(store, backend == .sqlite ? "DROP TRIGGER refuse_b" : "DROP TRIGGER refuse_b ON shipment_request")
        let outcomes = try Self.apply(store, file, batchSize: 2)
        #expect(outcomes.allSatisfy(Self.isApplied), "\(outcomes)")
        #expect(try Self.shipped(store, "A") == [2, 1])
        #expect(try F.stored(store, "A").changeSequence == before.changeSequence + 3,
                "orders A and B took 1 and 2; A's rows 3 and 4, B's row 5")
        #expect(try Self.hasItsSettingsBack(store), "the import gives the connection its settings back")
    }

    /// Whether the state's writing connection checks foreign keys and commits without syncing
    /// again (`writeImport` changes both for its transaction; true on PostgreSQL).
    static func hasItsSettingsBack(_ store: any StateStore) throws -> Bool {
        guard let sqlite = store as? SQLiteStateStore else { return true }
        return try sqlite.pool.write { db in
            [try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA synchronous")]
        } == [1, 1]
    }

    static func isApplied(_ outcome: ShipmentOutcome) -> Bool {
        if case .applied = outcome { return true }
        return false
    }

    static func isRejected(_ outcome: ShipmentOutcome) -> Bool {
        if case .rejected = outcome { return true }
        return false
    }

    static func shipped(_ store: any StateStore, _ id: String) throws -> [Int] {
        try F.detail(store, id).stored.order.lines.map(\.quantityShipped)
    }

    /// `requests` applied in batches of `batchSize` (0: one at a time; nil: through the
    /// store's own path, from a source that hands them out 1 to 3 at a time).
    static func apply(_ store: any StateStore, _ requests: [ShipmentRequest], batchSize: Int?,
                      at date: Date = F.at(60)) throws -> [ShipmentOutcome] {
        guard let batchSize else {
            return try store.applyShipments(from: TricklingSource(requests), channel: "shop", source: "ftp:shipments.csv",
                                            at: date)
        }
        switch store {
        case let sqlite as SQLiteStateStore:
            return try sqlite.applyShipments(requests, channel: "shop", source: "ftp:shipments.csv", at: date,
                                             batchSize: batchSize)
        case let postgres as PostgresStateStore:
            return try postgres.applyShipments(requests, channel: "shop", source: "ftp:shipments.csv", at: date,
                                               batchSize: batchSize)
        default:
            throw RuntimeFixtures.FixtureError("no batch size on \(type(of: store))")
        }
    }

    /// Hands out what is asked for, keeping each limit asked.
    final class CountingSource: ShipmentRequestSource, @unchecked Sendable {
        private let list: ShipmentRequestList
        private(set) var limits: [Int] = []

        init(_ requests: [ShipmentRequest]) {
            list = ShipmentRequestList(requests)
        }

        func next(_ limit: Int) -> [ShipmentRequest] {
            limits.append(limit)
            return list.next(limit)
        }
    }

    /// Hands out 1 to 3 requests a call, whatever the caller asks for.
    final class TricklingSource: ShipmentRequestSource, @unchecked Sendable {
        private var rest: ArraySlice<ShipmentRequest>
        private var calls = 0

        init(_ requests: [ShipmentRequest]) {
            rest = requests[...]
        }

        func next(_ limit: Int) -> [ShipmentRequest] {
            calls += 1
            let taken = rest.prefix(min(limit, 1 + calls % 3))
            rest = rest.dropFirst(taken.count)
            return Array(taken)
        }
    }

    /// The orders of the random files: mirakl and amazon ones, with one to three lines, some
    /// canceled, refused, fulfilled by the marketplace or partly shipped already.
    static let orders: [(order: Order, marketplace: String)] = {
        var orders: [(order: Order, marketplace: String)] = []
        for index in 0..<12 {
            var order = F.order("M\(index)", quantities: Array([2, 1, 3].prefix(1 + index % 3)))
            switch index {
            case 9: order = F.order("M\(index)", status: .canceled, quantities: [1])
            case 10: order = F.order("M\(index)", rawStatus: "Unshipped", fulfilledBy: .marketplace, quantities: [1])
            case 11: order = F.order("M\(index)", status: .refused, quantities: [2])
            case 4:
                order.status = .partiallyShipped
                order.lines[0].quantityShipped = 1
            case 7:
                order.lines[0].quantityCanceled = 1
            default: break
            }
            orders.append((order: order, marketplace: "mirakl"))
        }
        for index in 0..<6 {
            orders.append((order: F.order("A\(index)", quantities: Array([1, 2, 1].prefix(1 + index % 3))), marketplace: "amazon"))
        }
        return orders
    }()

    /// A request of a random file, before the state names its orders: internal ids are
    /// looked up in each state (they differ from one state to the next).
    struct PlannedRequest: CustomStringConvertible {
        var order: String
        var byInternalID: Bool
        var upper: Bool
        var package: String
        var tracking: String?
        var carrier: String?
        var late: Bool
        var item: ShipmentRequest.ItemReference?
        var quantity: Int?

        var description: String {
            "\(order)\(byInternalID ? " (internal id)" : "") package \(package) tracking \(tracking ?? "none") "
                + "carrier \(carrier ?? "none")\(late ? " late" : "") item \(String(describing: item)) quantity \(quantity ?? -1)"
        }

        func request(ids: [String: String]) -> ShipmentRequest {
            let reference: ShipmentRequest.OrderReference
            if byInternalID {
                let id = ids[order] ?? "00000000-0000-0000-0000-0000000000\(order.count)0"
                reference = .internalID(upper ? id.uppercased() : id)
            } else {
                reference = .marketplaceID(order)
            }
            return ShipmentRequest(order: reference, packageID: package, trackingNumber: tracking, carrierCode: carrier,
                                   shippingDate: F.shippedAt.addingTimeInterval(late ? 3600 : 0), item: item,
                                   quantity: quantity)
        }
    }

    /// Random files (`count` imports of `rows` rows): requests of known and unknown orders, by
    /// marketplace or internal id, items named or not, quantities given or not (too many at
    /// times), a few packages and tracking numbers so that rows share shipments or collide on
    /// Amazon, and rows repeated within a file and across files.
    enum Plan {
        static func files(seed: UInt64, count: Int = 3, rows: Int = 90) -> [[PlannedRequest]] {
            var random = SeededGenerator(seed: seed)
            var all: [PlannedRequest] = []
            var files: [[PlannedRequest]] = []
            for _ in 0..<count {
                var file: [PlannedRequest] = []
                for _ in 0..<rows {
                    if !all.isEmpty, random.next() % 7 == 0 {
                        file.append(all[Int(random.next() % UInt64(all.count))])
                        continue
                    }
                    let pick = random.next() % 20
                    let orders = ShipmentBatchApplierTests.orders
                    let name = pick == 0 ? "NOPE" : orders[Int(random.next() % UInt64(orders.count))].order.marketplaceID
                    let lines = orders.first { $0.order.marketplaceID == name }?.order.lines.count ?? 1
                    let item: ShipmentRequest.ItemReference? = switch random.next() % 3 {
                    case 0: nil
                    case 1: .lineNumber(1 + Int(random.next() % UInt64(lines + 1)))
                    default: .marketplaceLineID("\(name)-\(1 + Int(random.next() % UInt64(lines + 1)))")
                    }
                    let request = PlannedRequest(
                        order: name, byInternalID: pick == 1 || pick == 2, upper: pick == 2,
                        package: ["1", "2", "3", "P"][Int(random.next() % 4)],
                        tracking: ["T-1", "T-2", nil][Int(random.next() % 3)],
                        carrier: random.next() % 6 == 0 ? nil : "UPS", late: random.next() % 4 == 0, item: item,
                        quantity: random.next() % 2 == 0 ? nil : 1 + Int(random.next() % 3))
                    file.append(request)
                    all.append(request)
                }
                files.append(file)
            }
            return files
        }
    }

    /// The files imported into a new state in batches of `batchSize` (0: one at a time; nil:
    /// handed out a few at a time, `apply`), with
    /// some shipments confirmed and some failed between imports; the outcomes of each file and
    /// the state after each.
    struct Run {
        var outcomes: [[ShipmentOutcome]] = []
        var states: [[String]] = []

        init(_ backend: StateBackend, files: [[PlannedRequest]], batchSize: Int?) throws {
            let workspace = try F.Workspace(backend)
            let store = workspace.store
            for marketplace in ["mirakl", "amazon"] {
                try F.upsert(store, ShipmentBatchApplierTests.orders.filter { $0.marketplace == marketplace }.map(\.order),
                             marketplace: marketplace)
            }
            var ids: [String: String] = [:]
            for (order, _) in ShipmentBatchApplierTests.orders {
                ids[order.marketplaceID] = try F.stored(store, order.marketplaceID).id
            }
            for (number, file) in files.enumerated() {
                outcomes.append(try ShipmentBatchApplierTests.apply(store, file.map { $0.request(ids: ids) }, batchSize: batchSize,
                                                                    at: F.at(60 + number)))
                states.append(try Self.state(store))
                for due in try store.dueShipments(channel: "shop", now: F.at(600), limit: 1000) {
                    if due.id % 3 == 0 { try store.markShipmentConfirmed(id: due.id, at: F.at(70 + number)) }
                    if due.id % 5 == 0 {
                        try store.markShipmentAttemptFailed(id: due.id, error: "refused", retryAt: nil, runID: nil,
                                                            at: F.at(70 + number))
                    }
                }
            }
        }

        /// Everything shipments change, described without the internal ids (new in each state).
        static func state(_ store: any StateStore) throws -> [String] {
            var lines: [String] = []
            for (order, _) in ShipmentBatchApplierTests.orders {
                var detail = try F.detail(store, order.marketplaceID)
                detail.stored.id = ""
                lines.append("\(detail)")
            }
            for due in try store.dueShipments(channel: "shop", now: F.at(600), limit: 1000) {
                var due = due
                due.orderID = ""
                lines.append("\(due)")
            }
            lines.append("requests \(try F.owned(store, "shop", "shipment requests"))")
            lines.append("items \(try F.owned(store, "shop", "shipment items"))")
            return lines
        }
    }
}
