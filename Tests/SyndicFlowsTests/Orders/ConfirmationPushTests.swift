import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import SyndicTransfer
import Testing
@testable import SyndicFlows

/// The confirmation push: shipments reported to syndic go to Mirakl (OR23 + OR24) and to
/// Amazon (confirmShipment), against the simulators.
struct ConfirmationPushTests {
    /// 2025-04-09T08:28:55Z.
    static let shippingDate = Date(timeIntervalSince1970: 1_744_187_335)

    static func shipment(_ order: String, package: String = "1", tracking: String, carrier: String = "UPS",
                         item: ShipmentRequest.ItemReference? = nil, quantity: Int? = nil) -> ShipmentRequest {
        ShipmentRequest(order: .marketplaceID(order), packageID: package, trackingNumber: tracking, carrierCode: carrier,
                        shippingDate: shippingDate, item: item, quantity: quantity)
    }

    /// Applies `requests` as the FTP import and the Orders API do; each must be applied.
    static func apply(_ workspace: FlowWorkspace, _ channel: String, _ requests: [ShipmentRequest]) throws {
        let outcomes = try workspace.store.applyShipments(requests, channel: channel, source: "test", at: Date())
        for outcome in outcomes {
            guard case .applied = outcome else { throw FlowTestFailure("not applied: \(outcome)") }
        }
    }

    /// A workspace that retrieved the sample orders from mirakl_sim.py.
    static func miraklWorkspace(_ server: LocalServer) async throws -> FlowWorkspace {
        let workspace = try MiraklOrderRetrievalTests.workspace(server)
        let retrieval = try await workspace.run("mirakl_fr", .orderRetrieval)
        guard retrieval.status == .succeeded else { throw FlowTestFailure("retrieval: \(retrieval.error ?? "")") }
        return workspace
    }

    /// The simulator's order `id` (GET /_sim/orders).
    static func simulatorOrder(_ server: LocalServer, _ id: String) throws -> Value {
        guard let order = try server.control.get("orders").listValue?.first(where: { $0["order_id"]?.stringValue == id }) else {
            throw FlowTestFailure("the simulator has no order \(id)")
        }
        return order
    }

    /// The write calls the simulator served (method, path, status).
    static func writes(_ server: LocalServer) throws -> [String] {
        try server.control.requests().filter { $0.method != "GET" }.map { "\($0.method) \($0.path) \($0.status ?? 0)" }
    }

    @Test func miraklGetsTheTrackingThenTheShipOfACompleteOrder() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await Self.miraklWorkspace(server)

        // First one item of two: tracking only (OR24 ships the whole order).
        try Self.apply(workspace, "mirakl_fr", [Self.shipment("FR1002-A", tracking: "TRK-A", item: .lineNumber(1))])
        let partial = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(partial.status == .succeeded, "\(partial.error ?? "")")
        #expect(partial.counts == ["confirmed": 1, "retrying": 0, "failed": 0])
        #expect(try Self.writes(server) == ["PUT /api/orders/FR1002-A/tracking 204"])
        #expect(try Self.simulatorOrder(server, "FR1002-A")["order_state"]?.stringValue == "SHIPPING")

        // Then the rest, in a second package: tracking, then ship.
        try Self.apply(workspace, "mirakl_fr", [Self.shipment("FR1002-A", package: "2", tracking: "TRK-B", carrier: "DHL")])
        let rest = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(rest.status == .succeeded, "\(rest.error ?? "")")
        #expect(rest.counts == ["confirmed": 1, "retrying": 0, "failed": 0])
        #expect(try Self.writes(server) == ["PUT /api/orders/FR1002-A/tracking 204", "PUT /api/orders/FR1002-A/tracking 204",
                                            "PUT /api/orders/FR1002-A/ship 204"])
        let onMirakl = try Self.simulatorOrder(server, "FR1002-A")
        #expect(onMirakl["order_state"]?.stringValue == "SHIPPED")
        #expect(onMirakl["shipping_tracking"]?.stringValue == "TRK-B")
        #expect(onMirakl["shipping_carrier_code"]?.stringValue == "DHL")

        let shipments = try workspace.order("FR1002-A").shipments
        #expect(shipments.map(\.status) == ["confirmed", "confirmed"])
        #expect(shipments.allSatisfy { $0.confirmedAt != nil && $0.attempts == 1 && $0.lastError == nil })
        #expect(try workspace.storedOrders()["FR1002-A"]?.status == "SHIPPED")

        // Nothing left to confirm: nothing sent.
        let idle = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(idle.counts == ["confirmed": 0, "retrying": 0, "failed": 0])
        #expect(try Self.writes(server).count == 3)

        // The next retrieval reads Mirakl's SHIPPED and keeps the order shipped.
        let retrieval = try await workspace.run("mirakl_fr", .orderRetrieval)
        #expect(retrieval.counts["updated"] == 1, "\(retrieval.counts)")
        let stored = try workspace.order("FR1002-A").stored
        #expect(stored.order.rawStatus == "SHIPPED")
        #expect(stored.order.status == .shipped)
    }

    /// Two packages of one order reported together (one row per item, as an ERP writes them)
    /// and pushed in the same run: both are confirmed, and the order is shipped once.
    @Test func twoPackagesOfOneOrderPushedTogetherAreBothConfirmed() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await Self.miraklWorkspace(server)
        try Self.apply(workspace, "mirakl_fr", [
            Self.shipment("FR1002-A", package: "1", tracking: "TRK-1", item: .lineNumber(1)),
            Self.shipment("FR1002-A", package: "2", tracking: "TRK-2", item: .lineNumber(2)),
        ])
        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let messages = try workspace.messages(run.id)
        #expect(run.counts == ["confirmed": 2, "retrying": 0, "failed": 0], "\(messages)")
        let detail = try workspace.order("FR1002-A")
        #expect(detail.shipments.map(\.status) == ["confirmed", "confirmed"])
        #expect(detail.errors.isEmpty, "\(detail.errors)")
        #expect(try workspace.store.undeliveredAlerts(limit: 20).filter { $0.kind == "push-failed" }.isEmpty)
        let writes = try Self.writes(server)
        #expect(writes.filter { $0.hasPrefix("PUT /api/orders/FR1002-A/ship") } == ["PUT /api/orders/FR1002-A/ship 204"], "\(writes)")
        #expect(try Self.simulatorOrder(server, "FR1002-A")["order_state"]?.stringValue == "SHIPPED")
    }

    /// Mirakl refuses the tracking of an order no longer in SHIPPING: the shipment fails for
    /// good, with an order error and a push-failed alert.
    @Test func aRefusedConfirmationFailsForGood() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await Self.miraklWorkspace(server)
        try Self.apply(workspace, "mirakl_fr", [Self.shipment("DE2001-A", tracking: "TRK-DE")])
        let back = OrderFlows.changed(try Self.simulatorOrder(server, "DE2001-A"), ["order_state": .string("WAITING_ACCEPTANCE")])
        try server.control.post("orders", .list([back]))

        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["confirmed": 0, "retrying": 0, "failed": 1])
        #expect(try Self.writes(server) == ["PUT /api/orders/DE2001-A/tracking 400"])
        let detail = try workspace.order("DE2001-A")
        let shipment = try #require(detail.shipments.first)
        #expect(shipment.status == "failed")
        #expect(shipment.lastError?.contains("WAITING_ACCEPTANCE") == true, "\(shipment.lastError ?? "")")
        #expect(detail.errors.map(\.stage) == ["confirmation"])
        #expect(detail.errors.first?.runID == run.id)
        #expect(detail.stored.errorCount == 1)
        let alerts = try workspace.store.undeliveredAlerts(limit: 20).filter { $0.kind == "push-failed" }
        #expect(alerts.count == 1)
        #expect(alerts.first?.message.contains("DE2001-A") == true)
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date().addingTimeInterval(86_400), limit: 10).isEmpty)

        // Failed for good: never sent again.
        let again = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(again.counts == ["confirmed": 0, "retrying": 0, "failed": 0])
        #expect(try Self.writes(server).count == 1)
    }

    /// Mirakl answers 500 (each of the client's attempts): the shipment stays pending and is
    /// tried again later.
    @Test func aServerErrorIsTriedAgainLater() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await Self.miraklWorkspace(server)
        try Self.apply(workspace, "mirakl_fr", [Self.shipment("DE2001-A", tracking: "TRK-DE")])
        try server.control.fail("/api/orders/DE2001-A/tracking", status: 500, count: OrderFlows.http.maxAttempts)

        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["confirmed": 0, "retrying": 1, "failed": 0])
        let shipment = try #require(try workspace.order("DE2001-A").shipments.first)
        #expect(shipment.status == "pending")
        #expect(shipment.attempts == 1)
        #expect(shipment.lastError?.contains("500") == true, "\(shipment.lastError ?? "")")
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).isEmpty)
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date().addingTimeInterval(120), limit: 10).count == 1)
        #expect(try workspace.order("DE2001-A").errors.isEmpty)

        // Not due yet: nothing sent.
        let early = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(early.counts == ["confirmed": 0, "retrying": 0, "failed": 0])
        // Due two minutes later: confirmed.
        let later = try await workspace.run("mirakl_fr", .confirmationPush, at: Date().addingTimeInterval(120))
        #expect(later.status == .succeeded, "\(later.error ?? "")")
        #expect(later.counts == ["confirmed": 1, "retrying": 0, "failed": 0])
        #expect(try workspace.order("DE2001-A").shipments.first?.status == "confirmed")
        #expect(try Self.simulatorOrder(server, "DE2001-A")["order_state"]?.stringValue == "SHIPPED")
    }

    @Test func amazonGetsTheConfirmShipmentBodyAndAFNOrdersAreNeverConfirmed() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try AmazonOrderRetrievalTests.workspace(server)
        let retrieval = try await workspace.run("amazon_fr", .orderRetrieval)
        try #require(retrieval.status == .succeeded, "\(retrieval.error ?? "")")

        // An order fulfilled by Amazon is refused at apply time.
        let afn = try workspace.store.applyShipments([Self.shipment("402-1000006-2000006", tracking: "TRK-AFN")],
                                                     channel: "amazon_fr", source: "test", at: Date())
        guard case .rejected(let reason) = afn.first else {
            Issue.record("an AFN shipment was not rejected: \(afn)")
            return
        }
        #expect(reason.contains("fulfilled by the marketplace"), "\(reason)")
        #expect(try workspace.order("402-1000006-2000006").shipments.isEmpty)

        try Self.apply(workspace, "amazon_fr", [Self.shipment("402-1000003-2000003", tracking: "1Z999AA10123456784")])
        let run = try await workspace.run("amazon_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["confirmed": 1, "retrying": 0, "failed": 0])

        let confirmations = try server.control.get("confirmations").listValue ?? []
        #expect(confirmations.count == 1)
        #expect(confirmations.first?["AmazonOrderId"]?.stringValue == "402-1000003-2000003")
        let body = try #require(confirmations.first?["body"])
        #expect(body["marketplaceId"]?.stringValue == "A13V1IB3VIYZZH")
        #expect(body.value(at: "packageDetail.packageReferenceId")?.stringValue == "1")
        #expect(body.value(at: "packageDetail.carrierCode")?.stringValue == "UPS")
        #expect(body.value(at: "packageDetail.trackingNumber")?.stringValue == "1Z999AA10123456784")
        let shipDate = try #require(body.value(at: "packageDetail.shipDate")?.stringValue)
        #expect(ISODate.parse(shipDate) == Self.shippingDate, "\(shipDate)")
        let items = body.value(at: "packageDetail.orderItems")?.listValue ?? []
        #expect(items.map { $0["orderItemId"]?.stringValue ?? "" } == ["10000003000101", "10000003000201"])
        #expect(items.map { $0["quantity"]?.intValue ?? 0 } == [1, 2])
        #expect(try workspace.order("402-1000003-2000003").shipments.map(\.status) == ["confirmed"])

        // An order Amazon shipped in part: only what is left goes out.
        try Self.apply(workspace, "amazon_fr", [Self.shipment("402-1000005-2000005", tracking: "1Z999AA10123456785")])
        let partial = try await workspace.run("amazon_fr", .confirmationPush)
        #expect(partial.counts == ["confirmed": 1, "retrying": 0, "failed": 0], "\(partial.error ?? "")")
        let second = try #require((try server.control.get("confirmations").listValue ?? []).last)
        #expect(second["AmazonOrderId"]?.stringValue == "402-1000005-2000005")
        #expect(second.value(at: "body.packageDetail.orderItems")?.listValue?.map { $0["orderItemId"]?.stringValue ?? "" }
                == ["10000005000201"])

        let onAmazon = try server.control.get("orders/402-1000003-2000003")
        #expect((onAmazon["OrderStatus"] ?? onAmazon.value(at: "payload.OrderStatus"))?.stringValue == "Shipped")
        #expect(try server.control.requests().filter { $0.path.hasSuffix("/shipmentConfirmation") }.map(\.status) == [204, 204])
    }
}

/// Carriers on OR23: a code the marketplace lists (SH21) as `carrier_code`, in its spelling;
/// the channel's mappings; any other carrier by name.
struct MiraklCarrierTests {
    @Test func carriersGoByCodeWhenKnownAndByNameOtherwise() async throws {
        let server = try OrderFlows.miraklSimulator(["--generate", "40"])
        defer { server.kill() }
        // Four orders waiting for shipment (Mirakl keeps one tracking per order).
        let shipping = (try server.control.get("orders").listValue ?? [])
            .filter { $0["order_state"]?.stringValue == "SHIPPING" && $0["order_id"]?.stringValue?.hasPrefix("G") == true }
            .compactMap { $0["order_id"]?.stringValue }.sorted()
        try #require(shipping.count >= 4)
        let orders = """
                retrieval: true
                confirmations: true
                lookbackDays: 3650
                carriers:
                  UP: UPS
                  COURSIER: {name: Coursier Express, url: "https://track.example.com"}
            """
        let workspace = try OrderFlows.workspace(files: ["mirakl_fr.yaml": OrderFlows.miraklChannel(endpoint: server.baseURL, orders: orders)])
        let retrieval = try await workspace.run("mirakl_fr", .orderRetrieval)
        try #require(retrieval.status == .succeeded, "\(retrieval.error ?? "")")
        try ConfirmationPushTests.apply(workspace, "mirakl_fr", [
            ConfirmationPushTests.shipment(shipping[0], tracking: "TRK-1", carrier: "colissimo"),
            ConfirmationPushTests.shipment(shipping[1], tracking: "TRK-2", carrier: "UP"),
            ConfirmationPushTests.shipment(shipping[2], tracking: "TRK-3", carrier: "COURSIER"),
            ConfirmationPushTests.shipment(shipping[3], tracking: "TRK-4", carrier: "Poste Locale"),
        ])
        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["confirmed"] == 4, "\(run.counts)")
        let trackings = try server.control.get("trackings").listValue ?? []
        let bodies = Dictionary(trackings.compactMap { entry -> (String, Value)? in
            guard let tracking = entry.value(at: "body.tracking_number")?.stringValue, let body = entry["body"] else { return nil }
            return (tracking, body)
        }, uniquingKeysWith: { first, _ in first })
        #expect(bodies["TRK-1"] == .object(["tracking_number": .string("TRK-1"), "carrier_code": .string("COLISSIMO")]))
        #expect(bodies["TRK-2"] == .object(["tracking_number": .string("TRK-2"), "carrier_code": .string("UPS")]))
        #expect(bodies["TRK-3"] == .object(["tracking_number": .string("TRK-3"), "carrier_name": .string("Coursier Express"),
                                            "carrier_url": .string("https://track.example.com")]))
        #expect(bodies["TRK-4"] == .object(["tracking_number": .string("TRK-4"), "carrier_name": .string("Poste Locale")]))
        // The carrier list is read once for the run.
        #expect(try server.control.requests().filter { $0.path == "/api/shipping/carriers" }.count == 1)
    }
}

/// confirmShipment as Amazon's model requires it.
struct AmazonConfirmationTests {
    static func retrieved(_ server: LocalServer, carriers: String = "") async throws -> FlowWorkspace {
        let workspace = try AmazonOrderRetrievalTests.workspace(server)
        let retrieval = try await workspace.run("amazon_fr", .orderRetrieval)
        guard retrieval.status == .succeeded else { throw FlowTestFailure("retrieval: \(retrieval.error ?? "")") }
        return workspace
    }

    /// A shipment Amazon would refuse is rejected when it is reported, with the reason.
    @Test(arguments: [("A1", "1Z9", "UPS", "package_id \"A1\""), ("0", "1Z9", "UPS", "package_id \"0\""),
                      ("1", "", "UPS", "tracking_number is required"), ("1", "1Z9", "", "carrier_code is required")])
    func whatAmazonWouldRefuseIsRejectedOnArrival(_ package: String, _ tracking: String, _ carrier: String,
                                                  _ reason: String) async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try await Self.retrieved(server)
        let request = ShipmentRequest(order: .marketplaceID("402-1000003-2000003"), packageID: package,
                                      trackingNumber: tracking.isEmpty ? nil : tracking,
                                      carrierCode: carrier.isEmpty ? nil : carrier,
                                      shippingDate: ConfirmationPushTests.shippingDate, item: nil, quantity: nil)
        let outcome = try workspace.store.applyShipments([request], channel: "amazon_fr", source: "test", at: Date())
        guard case .rejected(let why)? = outcome.first else {
            Issue.record("not rejected: \(outcome)")
            return
        }
        #expect(why.contains(reason), "\(why)")
        #expect(try workspace.order("402-1000003-2000003").shipments.isEmpty)
    }

    /// On Amazon a package id sent again edits that package: a second shipment of the order
    /// may not take the package id of another (here the default `1`).
    @Test func aSecondShipmentMayNotTakeAnotherShipmentsPackage() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try await Self.retrieved(server)
        try ConfirmationPushTests.apply(workspace, "amazon_fr", [
            ConfirmationPushTests.shipment("402-1000003-2000003", tracking: "TRK-1", item: .lineNumber(1)),
            // Another row of the same shipment (same package, tracking, date) joins it.
            ConfirmationPushTests.shipment("402-1000003-2000003", tracking: "TRK-1", item: .lineNumber(2), quantity: 1),
        ])
        let outcomes = try workspace.store.applyShipments([
            ConfirmationPushTests.shipment("402-1000003-2000003", tracking: "TRK-2", item: .lineNumber(2), quantity: 1),
            ConfirmationPushTests.shipment("402-1000003-2000003", package: "2", tracking: "TRK-2", item: .lineNumber(2), quantity: 1),
        ], channel: "amazon_fr", source: "test", at: Date())
        guard case .rejected(let reason)? = outcomes.first else {
            Issue.record("the second package 1 was not rejected: \(outcomes)")
            return
        }
        #expect(reason.contains("package_id 1 is already the package of another shipment (tracking TRK-1)"), "\(reason)")
        guard case .applied? = outcomes.last else {
            Issue.record("package 2 was not applied: \(outcomes)")
            return
        }
        let run = try await workspace.run("amazon_fr", .confirmationPush)
        #expect(run.counts["confirmed"] == 2, "\(run.counts)")
        let packages = (try server.control.get("confirmations").listValue ?? [])
            .compactMap { $0.value(at: "body.packageDetail.packageReferenceId")?.stringValue }
        #expect(packages == ["1", "2"])
    }

    /// Only Amazon's own words count: a refusal that says nothing of a fulfilled order
    /// fails the shipment, whatever the rest of the message says.
    @Test func onlyAmazonsWordsSayAlreadyConfirmed() {
        #expect(AmazonOrders.saysAlreadyConfirmed(
            "InvalidInput: Failed to create package due to not finding a matching package or order already fulfilled."))
        #expect(!AmazonOrders.saysAlreadyConfirmed("InvalidInput: Order item 1 is already cancelled."))
        #expect(!AmazonOrders.saysAlreadyConfirmed(""))
    }

    /// A carrier Amazon lists goes by its code (in Amazon's spelling); another goes as Other
    /// with its name; a channel's mapping wins.
    @Test func unknownCarriersGoAsOtherWithTheirName() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try await Self.retrieved(server)
        try ConfirmationPushTests.apply(workspace, "amazon_fr", [
            ConfirmationPushTests.shipment("402-1000003-2000003", tracking: "TRK-1", carrier: "colissimo"),
            ConfirmationPushTests.shipment("402-1000004-2000004", tracking: "TRK-2", carrier: "Coursier Express"),
        ])
        let run = try await workspace.run("amazon_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["confirmed"] == 2, "\(run.counts)")
        let bodies = Dictionary((try server.control.get("confirmations").listValue ?? []).compactMap { entry -> (String, Value)? in
            guard let id = entry["AmazonOrderId"]?.stringValue, let package = entry.value(at: "body.packageDetail") else { return nil }
            return (id, package)
        }, uniquingKeysWith: { _, last in last })
        #expect(bodies["402-1000003-2000003"]?["carrierCode"]?.stringValue == "Colissimo")
        #expect(bodies["402-1000003-2000003"]?["carrierName"] == nil)
        #expect(bodies["402-1000004-2000004"]?["carrierCode"]?.stringValue == "Other")
        #expect(bodies["402-1000004-2000004"]?["carrierName"]?.stringValue == "Coursier Express")
    }

    /// The first attempt went through but its answer was lost: sending the package again is
    /// an edit on Amazon's side, and a package of an order Amazon has fulfilled meanwhile
    /// counts as confirmed — neither is a failure or an alert.
    @Test func aShipmentAmazonAlreadyHasCountsAsConfirmed() async throws {
        let server = try OrderFlows.amazonSimulator()
        defer { server.kill() }
        let workspace = try await Self.retrieved(server)
        let http = OrderFlows.http
        // The "lost" first attempt of package 1 of 402-1000003, and a whole confirmation of
        // 402-1000004 by another tool, both straight to the simulator.
        for (order, package, items) in [("402-1000003-2000003", "1", [("10000003000101", 1), ("10000003000201", 2)]),
                                          ("402-1000004-2000004", "7", [("10000004000101", 1)])] {
            let body = Value.object(["marketplaceId": .string("A13V1IB3VIYZZH"), "packageDetail": .object([
                "packageReferenceId": .string(package), "carrierCode": .string("UPS"), "trackingNumber": .string("1Z-\(package)"),
                "shipDate": .string("2025-04-09T08:28:55Z"),
                "orderItems": .list(items.map { .object(["orderItemId": .string($0.0), "quantity": .int($0.1)]) }),
            ])])
            let token = try OrderFlows.amazonAccessToken(server)
            let response = try http.send(HTTPRequest(method: "POST", url: server.baseURL + "/orders/v0/orders/\(order)/shipmentConfirmation",
                                                     headers: [("Content-Type", "application/json"), ("x-amz-access-token", token)],
                                                     body: Data(CanonicalJSON.string(body).utf8)), retryUnsafe: true)
            try #require(response.status == 204, "\(response.status) \(response.text)")
        }
        try ConfirmationPushTests.apply(workspace, "amazon_fr", [
            ConfirmationPushTests.shipment("402-1000003-2000003", tracking: "1Z-1"),
            ConfirmationPushTests.shipment("402-1000004-2000004", tracking: "1Z-8"),
        ])
        let run = try await workspace.run("amazon_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["confirmed"] == 2, "\(run.counts)")
        #expect(run.counts["failed"] == 0)
        #expect(try workspace.order("402-1000004-2000004").shipments.map(\.status) == ["confirmed"])
        #expect(try workspace.store.undeliveredAlerts(limit: 10).filter { $0.kind == "push-failed" }.isEmpty)
    }
}

/// The intent to confirm is recorded before the call: a confirmation the marketplace took
/// but that was never recorded (the process stopped, or recording failed) is checked
/// against the marketplace before it is sent again.
struct ConfirmationIntentTests {
    /// Sends `method path` to mirakl_sim.py with the API key, as a lost first attempt did.
    static func mirakl(_ server: LocalServer, _ method: String, _ path: String, body: Value? = nil) throws {
        let response = try OrderFlows.http.send(HTTPRequest(
            method: method, url: server.baseURL + path,
            headers: [("Authorization", OrderFlows.miraklKey), ("Content-Type", "application/json")],
            body: body.map { Data(CanonicalJSON.string($0).utf8) }), retryUnsafe: true)
        guard (200..<300).contains(response.status) else { throw FlowTestFailure("\(method) \(path): \(response.status)") }
    }

    @Test func anUncertainShipmentTheMarketplaceHasIsRecordedWithoutSendingIt() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await ConfirmationPushTests.miraklWorkspace(server)
        try ConfirmationPushTests.apply(workspace, "mirakl_fr", [ConfirmationPushTests.shipment("FR1002-A", tracking: "TRK-L")])
        let shipment = try #require(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).first)
        #expect(!shipment.uncertain)
        // The first attempt: intent recorded, calls taken by Mirakl, then the process died.
        try workspace.store.markShipmentSending(id: shipment.id, at: Date())
        try Self.mirakl(server, "PUT", "/api/orders/FR1002-A/tracking",
                        body: .object(["carrier_code": .string("UPS"), "tracking_number": .string("TRK-L")]))
        try Self.mirakl(server, "PUT", "/api/orders/FR1002-A/ship")
        let sentBefore = try ConfirmationPushTests.writes(server)
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).first?.uncertain == true)

        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["confirmed"] == 1, "\(run.counts)")
        #expect(run.counts["reconciled"] == 1)
        #expect(try ConfirmationPushTests.writes(server) == sentBefore, "nothing sent twice")
        #expect(try workspace.order("FR1002-A").shipments.map(\.status) == ["confirmed"])
    }

    @Test func anUncertainShipmentTheMarketplaceLacksIsSent() async throws {
        let server = try OrderFlows.miraklSimulator()
        defer { server.kill() }
        let workspace = try await ConfirmationPushTests.miraklWorkspace(server)
        try ConfirmationPushTests.apply(workspace, "mirakl_fr", [ConfirmationPushTests.shipment("FR1002-A", tracking: "TRK-M")])
        let shipment = try #require(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).first)
        // The intent was recorded, but the call never left.
        try workspace.store.markShipmentSending(id: shipment.id, at: Date())
        let run = try await workspace.run("mirakl_fr", .confirmationPush)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["confirmed"] == 1, "\(run.counts)")
        #expect(run.counts["reconciled"] == nil)
        #expect(try ConfirmationPushTests.writes(server) == ["PUT /api/orders/FR1002-A/tracking 204", "PUT /api/orders/FR1002-A/ship 204"])
        #expect(try ConfirmationPushTests.simulatorOrder(server, "FR1002-A")["shipping_tracking"]?.stringValue == "TRK-M")
    }
}
