import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore
import SyndicTestSupport
import Testing

/// The order export (the ERP's order files, uploaded by FTP) against a real FTP server, with the
/// sample Mirakl orders stored straight into the state.
struct OrderExportJobTests {
    /// 2025-06-15T15:06:40.25Z: files of a run at this moment end in `2025-06-15T15-06-40.2500.csv`.
    static let firstRun = Date(timeIntervalSince1970: 1_750_000_000.25)
    static let laterRun = Date(timeIntervalSince1970: 1_750_003_600)

    /// The sample orders, fulfilled by the merchant but FR1004-A (the marketplace) and
    /// FR1006-A (not said).
    static func orders() throws -> [Order] {
        try OrderFlows.miraklSample().map { order in
            var order = order
            switch order.marketplaceID {
            case "FR1004-A": order.fulfilledBy = .marketplace
            case "FR1006-A": order.fulfilledBy = nil
            default: order.fulfilledBy = .merchant
            }
            return order
        }
    }

    static func workspace(ftpPort: Int, statuses: [String]? = nil, escapeFormulas: Bool? = nil,
                          orders: [Order]? = nil, settleSeconds: Int = 0,
                          registry: JobRegistry = OrderFlows.registry) throws -> FlowWorkspace {
        let workspace = try FlowWorkspace(registry: registry)
        try workspace.secret("mirakl_key", OrderFlows.miraklKey)
        try workspace.ftpConnection(port: ftpPort)
        // The export never calls the marketplace: nothing listens at the endpoint.
        try workspace.config("mirakl_fr.yaml", OrderFlows.miraklChannel(
            endpoint: "http://127.0.0.1:\(try TestPaths.closedPort())",
            orders: OrderFlows.ftpOrders(statuses: statuses, escapeFormulas: escapeFormulas, settleSeconds: settleSeconds)))
        try workspace.apply()
        _ = try workspace.store.upsertOrders(try orders ?? Self.orders(), channel: "mirakl_fr", marketplace: "mirakl",
                                             runID: nil, at: Date())
        return workspace
    }

    static func rows(_ server: OrderFTPServer, _ name: String) throws -> [[String]] {
        csvRows(try server.text("outgoing/\(name)"))
    }

    @Test func writesOneFilePerGroupWithTheTemplateRows() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try Self.workspace(ftpPort: ftp.port)
        let run = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["orders": 7, "lines": 9, "files": 4])
        let stamp = "2025-06-15T15-06-40.2500"
        #expect(ftp.files("outgoing") == [
            "orders_export_mirakl_fr_marketplace_FR_\(stamp).csv", "orders_export_mirakl_fr_merchant_DE_\(stamp).csv",
            "orders_export_mirakl_fr_merchant_FR_\(stamp).csv", "orders_export_mirakl_fr_unknown_FR_\(stamp).csv",
        ])

        let merchantFR = try Self.rows(ftp, "orders_export_mirakl_fr_merchant_FR_\(stamp).csv")
        #expect(merchantFR.first == OrderExportTemplate.columns)
        #expect(merchantFR.first == [
            "order_status", "order_id", "purchase_date", "fulfilled_by", "customer_name", "customer_phone",
            "shipping_address_line_1", "shipping_address_line_2", "shipping_postal_code", "shipping_city",
            "shipping_country_code", "product_sku", "quantity_ordered", "quantity_shipped", "quantity_remaining_to_ship",
            "unit_price", "line_total", "line_number",
        ])
        let data = Array(merchantFR.dropFirst())
        #expect(data.count == 6)
        #expect(Set(data.map { $0[1] }) == ["FR1001-A", "FR1002-A", "FR1003-A", "FR1005-A"])
        #expect(data.allSatisfy { $0.count == 18 && $0[3] == "merchant" && $0[10] == "FR" })
        #expect(data.contains([
            "WAITING_FOR_SHIPMENT", "FR1002-A", "2025-06-02T09:30:00.000Z", "merchant", "Jérôme N'Diaye", "'+33 4 72 00 00 00",
            "3, allée des Tilleuls", "Bâtiment B", "69003", "Lyon", "FR", "SKU-000004", "2", "0", "2", "210.5", "421", "2",
        ]), "\(data)")
        #expect(data.contains { $0[1] == "FR1003-A" && $0[17] == "1" && $0[13] == "1" && $0[14] == "0" && $0[0] == "PARTIALLY_SHIPPED" })

        let german = try Self.rows(ftp, "orders_export_mirakl_fr_merchant_DE_\(stamp).csv")
        #expect(german.count == 2)
        #expect(german.last?[1] == "DE2001-A")
        #expect(german.last?[9] == "Düsseldorf")
        let marketplace = try Self.rows(ftp, "orders_export_mirakl_fr_marketplace_FR_\(stamp).csv")
        #expect(marketplace.dropFirst().map { [$0[0], $0[1], $0[3]] } == [["SHIPPED", "FR1004-A", "marketplace"]])
        let unknown = try Self.rows(ftp, "orders_export_mirakl_fr_unknown_FR_\(stamp).csv")
        #expect(unknown.dropFirst().map { [$0[0], $0[1], $0[3]] } == [["REFUSED", "FR1006-A", ""]])
        // Nothing left behind: no temporary upload name on the server, no local temporary file.
        #expect(ftp.files("outgoing").allSatisfy { !$0.hasPrefix(".") })
        #expect(workspace.files(in: ".syndic/work/tmp").isEmpty)

        // Nothing changed: no file.
        let again = try await workspace.run("mirakl_fr", .orderExport, at: Self.laterRun)
        #expect(again.status == .succeeded, "\(again.error ?? "")")
        #expect(again.counts == ["orders": 0, "lines": 0, "files": 0])
        #expect(again.report?.contains("no file written") == true, "\(again.report ?? "")")
        #expect(ftp.files("outgoing").count == 4)

        // One order changed on the marketplace: only it is sent again.
        var accepted = try #require(try Self.orders().first { $0.marketplaceID == "FR1001-A" })
        accepted.rawStatus = "SHIPPING"
        accepted.status = .waitingForShipment
        _ = try workspace.store.upsertOrders([accepted], channel: "mirakl_fr", marketplace: "mirakl", runID: nil, at: Date())
        let changed = try await workspace.run("mirakl_fr", .orderExport, at: Self.laterRun)
        #expect(changed.counts == ["orders": 1, "lines": 1, "files": 1])
        let newest = "orders_export_mirakl_fr_merchant_FR_2025-06-15T16-06-40.0000.csv"
        #expect(ftp.files("outgoing").contains(newest), "\(ftp.files("outgoing"))")
        #expect(try Self.rows(ftp, newest).dropFirst().map { [$0[0], $0[1]] } == [["WAITING_FOR_SHIPMENT", "FR1001-A"]])
    }

    /// An order whose buyer text starts formulas, with a negative line total.
    static let formulaOrder = Order(
        marketplaceID: "-FR9001-A", rawStatus: "SHIPPING", status: .waitingForShipment, fulfilledBy: .merchant,
        purchaseDate: Date(timeIntervalSince1970: 1_748_856_600),
        customer: Order.Customer(name: "=HYPERLINK(\"http://evil.example\",\"Refund\")", phone: "+33 6 00 00 00 00"),
        shipping: Order.Address(line1: "@SUM(1+1)*cmd|' /C calc'!A0", line2: "\t2nd floor", postalCode: "\r75001",
                                city: " =Paris", countryCode: "FR"),
        lines: [OrderLine(number: 1, lineID: "FR9001-A-1", sku: "+SKU-1", quantityOrdered: 2, lineTotal: -3.5)])

    /// Every buyer text that starts a formula gets a `'` in front, the CSV quoting still
    /// applies, a leading space is no formula, and the numbers (a negative total too) are
    /// written as they are.
    @Test func formulasInBuyerTextAreNeutralized() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try Self.workspace(ftpPort: ftp.port, orders: [Self.formulaOrder])
        let run = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let name = "orders_export_mirakl_fr_merchant_FR_2025-06-15T15-06-40.2500.csv"
        #expect(ftp.files("outgoing") == [name])
        let bytes = try Data(contentsOf: ftp.home.appendingPathComponent("outgoing/\(name)"))
        let expected = OrderExportTemplate.columns.joined(separator: ",") + "\r\n"
            + "WAITING_FOR_SHIPMENT,'-FR9001-A,2025-06-02T09:30:00.000Z,merchant,"
            + "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Refund\"\")\",'+33 6 00 00 00 00,"
            + "'@SUM(1+1)*cmd|' /C calc'!A0,'\t2nd floor,\"'\r75001\", =Paris,FR,'+SKU-1,2,0,2,-1.75,-3.5,1\r\n"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    /// `escapeFormulas: false` writes the text as the marketplace gave it.
    @Test func escapeFormulasFalseWritesTheTextAsItCame() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try Self.workspace(ftpPort: ftp.port, escapeFormulas: false, orders: [Self.formulaOrder])
        let run = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        let rows = try Self.rows(ftp, "orders_export_mirakl_fr_merchant_FR_2025-06-15T15-06-40.2500.csv")
        #expect(rows.dropFirst().first == [
            "WAITING_FOR_SHIPMENT", "-FR9001-A", "2025-06-02T09:30:00.000Z", "merchant",
            "=HYPERLINK(\"http://evil.example\",\"Refund\")", "+33 6 00 00 00 00", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t2nd floor", "\r75001", " =Paris", "FR", "+SKU-1", "2", "0", "2", "-1.75", "-3.5", "1",
        ])
    }

    /// Shipments reported to syndic change the orders: the next export sends them again with
    /// their quantities shipped and statuses.
    @Test func reportedShipmentsAreExportedAgain() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try Self.workspace(ftpPort: ftp.port)
        let first = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(first.counts["orders"] == 7, "\(first.error ?? "")")
        let outcomes = try workspace.store.applyShipments([
            ShipmentRequest(order: .marketplaceID("FR1002-A"), packageID: "1", trackingNumber: "TRK-1", carrierCode: "UPS",
                            shippingDate: Date(timeIntervalSince1970: 1_744_187_335), item: .lineNumber(2), quantity: 1),
        ], channel: "mirakl_fr", source: "test", at: Date())
        guard case .applied = outcomes.first else {
            Issue.record("not applied: \(outcomes)")
            return
        }
        let second = try await workspace.run("mirakl_fr", .orderExport, at: Self.laterRun)
        #expect(second.counts == ["orders": 1, "lines": 2, "files": 1], "\(second.error ?? "")")
        let rows = try Self.rows(ftp, "orders_export_mirakl_fr_merchant_FR_2025-06-15T16-06-40.0000.csv").dropFirst()
        #expect(rows.map { [$0[0], $0[1], $0[12], $0[13], $0[14], $0[17]] } == [
            ["PARTIALLY_SHIPPED", "FR1002-A", "1", "0", "1", "1"],
            ["PARTIALLY_SHIPPED", "FR1002-A", "2", "1", "1", "2"],
        ])
    }

    /// Orders outside `statuses` are left out, and the cursor moves past them all the same.
    @Test func aStatusFilterLeavesOrdersOutAndMovesTheCursor() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try Self.workspace(ftpPort: ftp.port, statuses: ["WAITING_FOR_SHIPMENT", "PARTIALLY_SHIPPED"])
        let run = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["orders": 3, "lines": 5, "files": 2])
        let exported = try ftp.files("outgoing").flatMap { try csvRows(ftp.text("outgoing/\($0)")).dropFirst().map { $0[1] } }
        #expect(Set(exported) == ["FR1002-A", "FR1003-A", "DE2001-A"])
        #expect(exported.count == 5)
        let cursor = try #require(try workspace.store.orderCursor(channel: "mirakl_fr", name: "export"))

        // Every status from now on: the orders filtered out before are not sent late.
        try workspace.config("mirakl_fr.yaml", OrderFlows.miraklChannel(
            endpoint: "http://127.0.0.1:\(try TestPaths.closedPort())", orders: OrderFlows.ftpOrders()))
        try workspace.apply()
        let all = try await workspace.run("mirakl_fr", .orderExport, at: Self.laterRun)
        #expect(all.status == .succeeded, "\(all.error ?? "")")
        #expect(all.counts["files"] == 0)
        #expect(ftp.files("outgoing").count == 2)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "export") == cursor)
    }

    /// The FTP server is down: the run fails and the cursor stays; once it is up the next
    /// export sends every order.
    @Test func aDownServerFailsTheRunAndKeepsTheCursor() async throws {
        let workspace = try Self.workspace(ftpPort: try TestPaths.closedPort())
        let failed = try await workspace.run("mirakl_fr", .orderExport, at: Self.firstRun)
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        #expect(error.contains("127.0.0.1"), "\(error)")
        #expect(!(try workspace.everything(failed)).contains(OrderFTPServer.password))
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "export") == nil)
        #expect(workspace.files(in: ".syndic/work/tmp").isEmpty, "temporary files left behind")
        // (The sample's cancellation of FR1005-A raised an alert when the orders were stored.)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).map(\.kind) == ["cancellation-requested", "ftp-failed"])

        let ftp = try OrderFTPServer(home: URL(fileURLWithPath: workspace.path("ftp")))
        defer { ftp.kill() }
        try workspace.ftpConnection(port: ftp.port)
        try workspace.apply()
        let fixed = try await workspace.run("mirakl_fr", .orderExport, at: Self.laterRun)
        #expect(fixed.status == .succeeded, "\(fixed.error ?? "")")
        #expect(fixed.counts == ["orders": 7, "lines": 9, "files": 4])
        #expect(ftp.files("outgoing").count == 4)
        #expect(try workspace.store.orderCursor(channel: "mirakl_fr", name: "export") != nil)
    }
}
