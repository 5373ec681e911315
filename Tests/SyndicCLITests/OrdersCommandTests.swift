import Foundation
import Testing

/// `syndic orders list|show` through the shipped binary, on orders a real retrieval stored
/// from the Mirakl simulator (Tests/Simulators/mirakl_orders.json: seven orders).
@Suite struct OrdersCommandTests {
    /// The simulators' folder.
    static let simulators = Workspace.testsDirectory.deletingLastPathComponent().appendingPathComponent("Simulators")

    /// A workspace whose `shop` channel retrieved the sample orders, or those of `ordersFile`
    /// (and confirms shipments when `confirmations`).
    static func retrieved(confirmations: Bool = false, ordersFile: URL? = nil) throws -> (Workspace, Process) {
        let simulator = Process()
        simulator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let scripts = Self.simulators
        let orders = ordersFile ?? scripts.appendingPathComponent("mirakl_orders.json")
        simulator.arguments = ["python3", scripts.appendingPathComponent("mirakl_sim.py").path, "--api-key", "shop-key",
                               "--orders", orders.path]
        let output = Pipe()
        simulator.standardOutput = output
        try simulator.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(line.split(separator: "\n").first.flatMap { Int($0.dropFirst("port ".count)) })
        let workspace = try Workspace()
        try workspace.write("channels/shop.yaml", """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: shop}
            spec:
              type: mirakl
              status: active
              endpoint: http://127.0.0.1:\(port)
              credentials: {apiKey: {env: SHOP_KEY}}
              orders: {retrieval: true, lookbackDays: 3650, confirmations: \(confirmations)}

            """)
        let syndic = workspace.syndic
        let environment = ["SHOP_KEY": "shop-key", "TZ": "UTC"]
        #expect(try syndic.run(["apply"], extra: environment).status == 0)
        let run = try syndic.run(["run", "shop", "order-retrieval", "--wait"], extra: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("created 7"))
        return (workspace, simulator)
    }

    @Test func listsFiltersAndCounts() throws {
        let (workspace, simulator) = try Self.retrieved()
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }
        let syndic = workspace.syndic
        // The retrieval stamped the orders with the real clock: --date reads the same one.
        let utc = ["TZ": "UTC", "SYNDIC_NOW": ISO8601DateFormatter().string(from: Date())]

        let all = try syndic.run(["orders"], extra: utc)
        #expect(all.status == 0)
        #expect(all.stdout.hasSuffix("7 orders\n"))
        #expect(all.stdout.contains("FR1005-A  shop     CANCELED (cancellation requested)"))

        let shipping = try syndic.run(["orders", "list", "--status", "waiting_for_shipment", "partially_shipped",
                                       "--format", "csv"], extra: utc)
        let rows = shipping.stdout.split(separator: "\n")
        #expect(rows.first == "id,channel,marketplace,order_id,status,marketplace_status,fulfilled_by,purchase_date,received_at,total,currency,lines,errors,cancellation_requested")
        #expect(Set(rows.dropFirst().map { $0.split(separator: ",")[3] }) == ["FR1002-A", "FR1003-A", "DE2001-A"])
        #expect(rows.dropFirst().allSatisfy { $0.contains(",PARTIALLY_SHIPPED,") || $0.contains(",WAITING_FOR_SHIPMENT,") })

        #expect(try syndic.run(["orders", "--date", "today"], extra: utc).stdout.hasSuffix("7 orders\n"))
        #expect(try syndic.run(["orders", "--date", "yesterday"], extra: utc).stdout == "0 orders\n")
        #expect(try syndic.run(["orders", "--search", "DE"], extra: utc).stdout.hasSuffix("1 order\n"))
        #expect(try syndic.run(["orders", "--errors", "yes"], extra: utc).stdout == "0 orders\n")
        let limited = try syndic.run(["orders", "--limit", "2", "--sort", "errors"], extra: utc)
        #expect(limited.stdout.hasSuffix("7 orders (showing 2)\n"))

        let json = try syndic.run(["orders", "--channel", "shop", "--format", "json"], extra: utc)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 7)
        #expect((object["orders"] as? [[String: Any]])?.count == 7)
        #expect(try syndic.run(["orders", "--channel", "other"], extra: utc).stdout == "0 orders\n")

        let bad = try syndic.run(["orders", "--status", "LOST"], extra: utc)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--status LOST: expected one of PENDING"))
        #expect(try syndic.run(["orders", "--date", "tomorrow"], extra: utc).status == 64)
    }

    /// Buyer text with terminal escape sequences, a carriage return and a C1 control shows
    /// them as U+FFFD in `orders show` and `orders`: nothing reaches the terminal that would
    /// act on it.
    @Test func marketplaceTextIsPrintedWithoutControlCharacters() throws {
        let sample = try Data(contentsOf: Self.simulators.appendingPathComponent("mirakl_orders.json"))
        var orders = try #require(try JSONSerialization.jsonObject(with: sample) as? [[String: Any]])
        let index = try #require(orders.firstIndex { $0["order_id"] as? String == "FR1002-A" })
        var customer = try #require(orders[index]["customer"] as? [String: Any])
        customer["firstname"] = "J\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31m"
        var address = try #require(customer["shipping_address"] as? [String: Any])
        address["city"] = "Ly\ron\u{9B}31m\u{7F}"
        customer["shipping_address"] = address
        orders[index]["customer"] = customer
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mirakl-orders-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: orders).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (workspace, simulator) = try Self.retrieved(ordersFile: file)
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }

        // The control characters of `text` but line feeds.
        func controls(_ text: String) -> [UInt32] {
            text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || (0x7F...0x9F).contains($0) }
        }
        let shown = try workspace.syndic.run(["orders", "show", "FR1002-A"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(controls(shown.stdout).isEmpty, "\(controls(shown.stdout))")
        #expect(shown.stdout.contains("  name:          J\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}[31m"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Ly\u{FFFD}on\u{FFFD}31m\u{FFFD}"), "\(shown.stdout)")
        #expect(shown.stdout.contains("FR1002-A-1"))

        let listed = try workspace.syndic.run(["orders"])
        #expect(listed.status == 0)
        #expect(controls(listed.stdout).isEmpty)
        #expect(listed.stdout.hasSuffix("7 orders\n"))
    }

    @Test func showsOneOrderByEitherId() throws {
        let (workspace, simulator) = try Self.retrieved()
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit(); workspace.remove() }
        let syndic = workspace.syndic

        let shown = try syndic.run(["orders", "show", "FR1003-A"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("order FR1003-A (mirakl, channel shop)\n"))
        #expect(shown.stdout.contains("  status:        PARTIALLY_SHIPPED (marketplace: SHIPPING)\n"))
        #expect(shown.stdout.contains("FR1003-A-1"))
        let internalID = try #require(shown.stdout.split(separator: "\n").first { $0.contains("internal id:") }?
            .split(separator: " ").last.map(String.init))

        let byInternal = try syndic.run(["orders", "show", internalID, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(byInternal.stdout.utf8)) as? [String: Any])
        #expect(object["order_id"] as? String == "FR1003-A")
        #expect(object["status"] as? String == "PARTIALLY_SHIPPED")
        #expect((object["lines"] as? [[String: Any]])?.count == 2)
        #expect((object["shipping_address"] as? [String: Any])?["country_code"] as? String == "FR")

        let canceled = try syndic.run(["orders", "show", "FR1005-A"])
        #expect(canceled.stdout.contains("cancellation-requested"))

        let missing = try syndic.run(["orders", "show", "NOPE-1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: no order NOPE-1"))
    }
}
