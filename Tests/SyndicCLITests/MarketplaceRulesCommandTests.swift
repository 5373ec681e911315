import Foundation
import SyndicTestSupport
import Testing

/// The vendors' rules, through the shipped binary against the simulators: Amazon's usage
/// plans and Restricted Data Token, its package rule at shipment import, and Mirakl's OR11
/// paging while orders change.
@Suite struct MarketplaceRulesCommandTests {
    /// A Mirakl retrieval of 130 orders (two pages) during which an order of the first page
    /// is updated: every order is stored, and the next run brings the change.
    @Test func miraklPagingLosesNoOrderWhileOneChanges() throws {
        let server = try LocalServer(simulator: "mirakl_sim.py", arguments: [
            "--api-key", "shop-key", "--generate", "123",
            "--orders", LocalServer.simulators.appendingPathComponent("mirakl_orders.json").path,
        ])
        defer { server.kill() }
        let orders = (try server.control.get("orders").listValue ?? []).sorted {
            ($0["created_date"]?.stringValue ?? "", $0["order_id"]?.stringValue ?? "")
                < ($1["created_date"]?.stringValue ?? "", $1["order_id"]?.stringValue ?? "")
        }
        try #require(orders.count == 130)
        let changed = try #require(orders.first { $0["order_state"]?.stringValue == "SHIPPING" }?["order_id"]?.stringValue)
        try #require(orders.prefix(100).contains { $0["order_id"]?.stringValue == changed })
        try server.control.post("update-after-page", .object([
            "page": .int(1), "order_id": .string(changed), "changes": .object(["order_state": .string("CANCELED")]),
        ]))

        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/shop.yaml", """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: shop}
            spec:
              type: mirakl
              status: active
              endpoint: \(server.baseURL)
              credentials: {apiKey: {env: SHOP_KEY}}
              orders: {retrieval: true, lookbackDays: 3650}

            """)
        let environment = ["SHOP_KEY": "shop-key", "TZ": "UTC"]
        let syndic = workspace.syndic
        #expect(try syndic.run(["apply"], extra: environment).status == 0)
        let first = try syndic.run(["run", "shop", "order-retrieval", "--wait"], extra: environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("fetched 130 orders"), "\(first.stdout)")
        #expect(try syndic.run(["orders"], extra: environment).stdout.hasSuffix("130 orders\n"))

        let second = try syndic.run(["run", "shop", "order-retrieval", "--wait"], extra: environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("1 updated"), "\(second.stdout)")
        #expect(try syndic.run(["orders"], extra: environment).stdout.hasSuffix("130 orders\n"))
        let shown = try syndic.run(["orders", "show", changed, "--format", "json"], extra: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["marketplace_status"] as? String == "CANCELED", "\(shown.stdout)")
    }

    /// An Amazon retrieval of 40 new orders at Amazon's published usage plans: every paid
    /// order comes with its recipient and street (through the Restricted Data Token), Amazon
    /// refuses at most a few calls, and the run says how long it waited for quota. Then a
    /// shipment file whose row names package `A1` is rejected at import with the reason.
    @Test func amazonRetrievalAtThePublishedPlansAndPackageRuleAtImport() throws {
        let server = try LocalServer(simulator: "amazon_sim.py", arguments: [
            "--generate", "33", "--orders", LocalServer.simulators.appendingPathComponent("amazon_orders.json").path,
        ])
        defer { server.kill() }
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("channels/amazon.yaml", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp}
            spec: {type: local, path: ../erp}
            ---
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: amazon_fr}
            spec:
              type: amazon-seller
              status: active
              endpoint: \(server.baseURL)
              tokenEndpoint: \(server.baseURL)/auth/o2/token
              marketplaceId: A13V1IB3VIYZZH
              credentials:
                clientId: {env: AMZN_CLIENT}
                clientSecret: {env: AMZN_SECRET}
                refreshToken: {env: AMZN_REFRESH}
              orders:
                retrieval: true
                lookbackDays: 3650
                shipmentImport:
                  storage: {connection: erp, folder: shipments}
                  settleSeconds: 0

            """)
        let erp = workspace.root.appendingPathComponent("erp/shipments")
        try FileManager.default.createDirectory(at: erp, withIntermediateDirectories: true)
        let environment = ["AMZN_CLIENT": "amzn_client", "AMZN_SECRET": "amzn_secret", "AMZN_REFRESH": "Atzr|syndic-refresh",
                           "TZ": "UTC"]
        let syndic = workspace.syndic
        let applied = try syndic.run(["apply"], extra: environment)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let run = try syndic.run(["run", "amazon_fr", "order-retrieval", "--wait"], extra: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("fetched 40 orders"), "\(run.stdout)")
        #expect(run.stdout.contains("for quota"), "\(run.stdout)")
        let throttled = try server.control.requests().filter { $0.status == 429 }
        #expect(throttled.count <= 3, "\(throttled)")

        // Every paid order (Amazon shows an address from Unshipped on) has its recipient and street.
        let onAmazon = try server.control.get("orders").listValue ?? []
        let paid = onAmazon.filter { ["Unshipped", "PartiallyShipped", "Shipped"].contains($0["OrderStatus"]?.stringValue ?? "") }
        try #require(paid.count >= 20)
        for order in paid {
            let id = try #require(order["AmazonOrderId"]?.stringValue)
            let shown = try syndic.run(["orders", "show", id, "--format", "json"], extra: environment)
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any] ?? [:]
            let address = object["shipping_address"] as? [String: Any] ?? [:]
            let customer = object["customer"] as? [String: Any] ?? [:]
            let street = address["line_1"] as? String
            let name = customer["name"] as? String ?? ""
            #expect(street != nil && street == order.value(at: "ShippingAddress.AddressLine1")?.stringValue, "\(id)")
            #expect(!name.isEmpty, "\(id)")
        }

        // A shipment file: one good row, one with a package id Amazon would refuse.
        try workspace.write("erp/shipments/ship.csv", """
            original_id,package_id,tracking_number,shipping_date,carrier_code
            402-1000003-2000003,1,1Z999AA10123456784,1744187335000,UPS
            402-1000004-2000004,A1,1Z999AA10123456785,1744187335000,UPS

            """)
        let imported = try syndic.run(["run", "amazon_fr", "shipment-import", "--wait"], extra: environment)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let rejectedFolder = erp.appendingPathComponent("rejected")
        let rejected = (try? FileManager.default.contentsOfDirectory(atPath: rejectedFolder.path)) ?? []
        try #require(rejected.count == 1, "\(rejected) \(imported.stdout)")
        let report = String(decoding: try Data(contentsOf: rejectedFolder.appendingPathComponent(rejected[0])), as: UTF8.self)
        #expect(report.contains("402-1000004-2000004"), "\(report)")
        #expect(report.contains("package_id \"\"A1\"\" is not accepted by Amazon"), "\(report)")
        #expect(!report.contains("402-1000003-2000003"))
    }
}
