import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing
@testable import SyndicFlows

/// A delta export from Akeneo (akeneo_sim.py) asks only for the products updated since the last
/// successful export started reading (less a safety overlap), with the channel's filter; it sends
/// exactly the changed products, keeps the other products' snapshot entries, and reads every
/// product when it cannot rely on that.
@Suite struct AkeneoDeltaTests {
    /// The Akeneo channel of `AkeneoSourceTests` with `delta: true` (and the catalog-file one
    /// beside it, as it was applied); `drop` removes a line of its mapping.
    static func channels(drop: String? = nil) -> String {
        var pim = AkeneoSourceTests.channel("from_pim", source: "pim")
            .replacingOccurrences(of: "    export:\n", with: "    export:\n      delta: true\n")
        if let drop { pim = pim.replacingOccurrences(of: drop, with: "") }
        return pim + "---\n" + AkeneoSourceTests.channel("from_file", source: "catalog")
    }

    static func workspace(simulator extra: [String] = []) throws -> (FlowWorkspace, LocalServer) {
        let (workspace, server) = try AkeneoSourceTests.workspace(simulator: extra)
        try workspace.config("channels.yaml", channels())
        try workspace.apply()
        return (workspace, server)
    }

    /// The header and rows of the newest file the Akeneo channel wrote (names sort by date).
    static func latest(_ workspace: FlowWorkspace) throws -> (header: [String], rows: [[String]]) {
        let name = try #require(workspace.files(in: "out/from_pim").last)
        let rows = csvRows(try workspace.text("out/from_pim/\(name)"))
        return (rows.first ?? [], Array(rows.dropFirst()))
    }

    /// One column of the newest file, in row order.
    static func column(_ name: String, _ workspace: FlowWorkspace) throws -> [String] {
        let file = try latest(workspace)
        let index = try #require(file.header.firstIndex(of: name), "\(file.header)")
        return file.rows.map { $0[index] }
    }

    /// The products-uuid requests served after the first `start` requests of the log.
    static func productCalls(_ server: LocalServer, after start: Int) throws -> [SimulatorControl.LoggedRequest] {
        try server.control.requests().dropFirst(start)
            .filter { $0.method == "GET" && $0.path == "/api/rest/v1/products-uuid" }
    }

    /// The `updated` conditions of a request's `search`.
    static func updated(_ request: SimulatorControl.LoggedRequest) throws -> [Value] {
        try CanonicalJSON.parse(request.params["search"] ?? "{}")["updated"]?.listValue ?? []
    }

    /// Whether `text` is `YYYY-MM-DD hh:mm:ss`.
    static func isFilterDate(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 19 else { return false }
        return characters.enumerated().allSatisfy { place, character in
            switch place {
            case 4, 7: character == "-"
            case 10: character == " "
            case 13, 16: character == ":"
            default: character.isASCII && character.isNumber
            }
        }
    }

    @Test func anUpdatedSinceDeltaSendsExactlyTheChangedProducts() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let exported = try Self.column("sku", workspace)
        try #require(exported.count > 200, "the catalog should need several pages")
        let header = try #require(try workspace.store.snapshotHeader(channel: "from_pim"))
        let since = try #require(header.sourceSince, "a read from Akeneo records its watermark")
        #expect(header.sourceOffset == 0)

        let changed = [exported[3], exported[57], exported[101], exported[150], exported[199], exported[exported.count - 1]]
        let answer = try server.control.post("update-products", .object(["identifiers": .list(changed.map(Value.string))]))
        #expect(Set(answer["updated"]?.listValue?.compactMap(\.stringValue) ?? []) == Set(changed), "\(answer)")
        let start = try server.control.requests().count
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(Set(try Self.column("sku", workspace)) == Set(changed))
        #expect(second.counts["sent"] == changed.count)
        #expect(second.counts["read"] == changed.count, "only the updated products are read")
        let report = second.report ?? ""
        #expect(report.contains("products updated since"), "\(report)")

        // A count and one page, both asking `updated >` a filter date, with the channel's filter.
        let calls = try Self.productCalls(server, after: start)
        #expect(calls.count == 2, "\(calls)")
        #expect(calls.filter { $0.params["pagination_type"] == "search_after" }.count == 1)
        for call in calls {
            let conditions = try Self.updated(call)
            #expect(conditions.count == 1, "\(call)")
            #expect(conditions.first?["operator"] == .string(">"))
            #expect(Self.isFilterDate(conditions.first?["value"]?.stringValue ?? ""), "\(conditions)")
            #expect(try CanonicalJSON.parse(call.params["search"] ?? "{}")["family"] != nil, "the channel's filter stays")
        }
        // The snapshot still covers every product; its watermark moved on.
        let after = try #require(try workspace.store.snapshotHeader(channel: "from_pim"))
        #expect(after.count == header.count)
        #expect((after.sourceSince ?? .distantPast) >= since)
    }

    @Test func productsNotReadKeepTheirEntries() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        _ = try await workspace.run("from_pim")
        let exported = try Self.column("sku", workspace)
        try server.control.post("update-products", .object(["identifiers": .list([.string(exported[10])])]))
        let second = try await workspace.run("from_pim")
        #expect(second.counts["sent"] == 1, "\(second.report ?? "")")
        // Nothing changed since: nothing is sent, even to a read of every product.
        let third = try await workspace.run("from_pim")
        #expect(third.status == .succeeded, "\(third.error ?? "")")
        #expect(third.counts["sent"] == 0, "\(third.report ?? "")")
        try Self.forgetWatermark(workspace)
        let start = try server.control.requests().count
        let fourth = try await workspace.run("from_pim")
        #expect(fourth.status == .succeeded, "\(fourth.error ?? "")")
        #expect(fourth.counts["read"] == exported.count, "every product read")
        #expect(fourth.counts["sent"] == 0, "the merged snapshot knows every product: \(fourth.report ?? "")")
        #expect(fourth.counts["unchanged"] == exported.count)
        #expect(try Self.productCalls(server, after: start).allSatisfy { try Self.updated($0).isEmpty })
        #expect(fourth.report?.contains("did not record when it read from Akeneo") == true, "\(fourth.report ?? "")")
    }

    /// Records the channel's snapshot again without its watermark, as a syndic that did not
    /// keep one left it.
    static func forgetWatermark(_ workspace: FlowWorkspace) throws {
        let store = workspace.store
        let header = try #require(try store.snapshotHeader(channel: "from_pim"))
        let record = ProductExportRecord(channel: "from_pim", runID: nil, mode: "delta", at: Date(), sent: 0, file: nil,
                                         products: [])
        try store.recordProductExport(record, generation: try #require(header.generation), specDigest: header.specDigest,
                                      count: header.count, refused: header.refused.sorted())
        #expect(try store.snapshotHeader(channel: "from_pim")?.sourceSince == nil)
    }

    /// The identifier of the filtered product with the smallest uuid: the first Akeneo lists.
    static func firstListed(_ workspace: FlowWorkspace) throws -> String {
        let lines = try workspace.text("catalog/products.jsonl").split(separator: "\n")
        let products = try lines.map { try CanonicalJSON.parse(String($0)) }
        let selected = products.filter {
            $0["enabled"] == .bool(true) && ["shoes", "bags"].contains($0["family"]?.stringValue ?? "")
        }
        let first = try #require(selected.min { ($0["uuid"]?.stringValue ?? "") < ($1["uuid"]?.stringValue ?? "") })
        return try #require(first["identifier"]?.stringValue)
    }

    @Test func aProductUpdatedDuringTheExportIsSentAgainNextTime() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let product = try Self.firstListed(workspace)
        // Updated just before the third products request is answered (count, page 1, page 2):
        // after its page was read.
        try server.control.post("update-products", .object([
            "identifiers": .list([.string(product)]), "after_requests": .int(3),
            "path_prefix": .string("/api/rest/v1/products-uuid"),
        ]))
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let skus = try Self.column("sku", workspace), titles = try Self.column("title", workspace)
        let place = try #require(skus.firstIndex(of: product))
        #expect(place < 100, "on the first page")
        let oldTitle = titles[place]

        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(try Self.column("sku", workspace) == [product], "\(second.report ?? "")")
        let newTitle = try #require(try Self.column("title", workspace).first)
        #expect(newTitle != oldTitle, "the new name is sent")
    }

    /// The export guard compares the merged snapshot (the whole filtered catalog) with the last
    /// export's, not the few products read: a delta of 2 products is no drop.
    @Test func theGuardWeighsTheMergedSnapshot() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        try workspace.config("channels.yaml", Self.channels().replacingOccurrences(
            of: "      delta: true\n", with: "      delta: true\n      guard: {maxDropPercent: 50}\n"))
        try workspace.apply()
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let exported = try Self.column("sku", workspace)
        try server.control.post("update-products", .object(["identifiers": .list([.string(exported[0]), .string(exported[1])])]))
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "") \(second.report ?? "")")
        #expect(second.counts["read"] == 2)
        #expect(second.counts["sent"] == 2)
        #expect(second.counts["exportable"] == exported.count, "\(second.counts)")
        #expect(second.counts["previous_exportable"] == exported.count, "\(second.counts)")
    }

    @Test func aChangedMappingReadsEverything() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        try workspace.config("channels.yaml", Self.channels(drop: "      brand: brand\n"))
        try workspace.apply()
        let start = try server.control.requests().count
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["read"] == first.counts["read"])
        #expect(second.counts["sent"] == first.counts["sent"], "every product's output changed")
        let calls = try Self.productCalls(server, after: start)
        #expect(!calls.isEmpty)
        #expect(try calls.allSatisfy { try Self.updated($0).isEmpty }, "\(calls)")
        let report = second.report ?? ""
        #expect(report.contains("read every product: the channel's source, filter or mapping changed"), "\(report)")
    }

    @Test func noWatermarkMeansAFullRead() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        try Self.forgetWatermark(workspace)
        let start = try server.control.requests().count
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["read"] == first.counts["read"])
        #expect(second.counts["sent"] == 0)
        #expect(try Self.productCalls(server, after: start).allSatisfy { try Self.updated($0).isEmpty })
        // It recorded one again: the next delta asks for the updated products only.
        #expect(try workspace.store.snapshotHeader(channel: "from_pim")?.sourceSince != nil)
        let after = try server.control.requests().count
        _ = try await workspace.run("from_pim")
        #expect(try Self.productCalls(server, after: after).allSatisfy { try !Self.updated($0).isEmpty })
    }

    /// The connection now names another PIM (here the same simulator by another host name):
    /// the watermark was taken on the first one, so every product is read.
    @Test func aConnectionMovedToAnotherPIMReadsEveryProduct() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let connections = try workspace.text("channels/connections.yaml")
        let moved = server.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        try #require(moved != server.baseURL)
        try workspace.config("connections.yaml", connections.replacingOccurrences(of: "url: \(server.baseURL)",
                                                                                with: "url: \(moved)"))
        try workspace.apply()
        let start = try server.control.requests().count
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts["read"] == first.counts["read"])
        #expect(try Self.productCalls(server, after: start).allSatisfy { try Self.updated($0).isEmpty })
        let report = second.report ?? ""
        #expect(report.contains("read every product: the last successful export read another PIM"), "\(report)")
        #expect(try workspace.store.snapshotHeader(channel: "from_pim")?.sourceOrigin == moved)
    }

    /// A search that selects no product tells no UTC offset: no watermark is stored rather
    /// than a guessed zone, and the next delta reads every product.
    @Test func aReadThatLearnedNoOffsetStoresNoWatermark() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        let identifiers = try workspace.text("catalog/products.jsonl").split(separator: "\n").compactMap { line in
            try CanonicalJSON.parse(String(line))["identifier"]?.stringValue
        }
        _ = try server.control.post("delete-products", .object(["identifiers": .list(identifiers.map(Value.string))]))
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts["read"] == 0)
        let header = try #require(try workspace.store.snapshotHeader(channel: "from_pim"))
        #expect(header.sourceSince == nil && header.sourceOffset == nil && header.sourceOrigin == nil)
    }

    @Test func theWatermarkIsInTheServersTimeZone() async throws {
        let (workspace, server) = try Self.workspace(simulator: ["--timezone", "+02:00"])
        defer { server.kill() }
        let first = try await workspace.run("from_pim")
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        let header = try #require(try workspace.store.snapshotHeader(channel: "from_pim"))
        #expect(header.sourceOffset == 7200, "learned from the products' `updated`")
        let since = try #require(header.sourceSince)
        let start = try server.control.requests().count
        let second = try await workspace.run("from_pim")
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        let call = try #require(try Self.productCalls(server, after: start).first)
        let value = try Self.updated(call).first?["value"]?.stringValue
        // The watermark + 2 h (the PIM's zone) − the 70-minute overlap.
        #expect(value == AkeneoTime.searchText(since.addingTimeInterval(7200 - 4200), utcOffset: 0))
    }

    /// Documents the limit: a product deleted in the PIM is not seen by an updated-since delta;
    /// a full export catches up (its snapshot no longer has it).
    @Test func aDeletedProductIsNotSeenByADeltaButAFullExportCatchesUp() async throws {
        let (workspace, server) = try Self.workspace()
        defer { server.kill() }
        _ = try await workspace.run("from_pim")
        let exported = try Self.column("sku", workspace)
        let count = try #require(try workspace.store.snapshotHeader(channel: "from_pim")?.count)
        try server.control.post("delete-products", .object(["identifiers": .list([.string(exported[5])])]))
        let delta = try await workspace.run("from_pim")
        #expect(delta.status == .succeeded, "\(delta.error ?? "")")
        #expect(delta.counts["read"] == 0 && delta.counts["sent"] == 0, "\(delta.report ?? "")")
        #expect(try workspace.store.snapshotHeader(channel: "from_pim")?.count == count, "still in the snapshot")

        let full = try await workspace.manualRun("from_pim", full: true)
        #expect(full.status == .succeeded, "\(full.error ?? "")")
        let now = try Self.column("sku", workspace)
        #expect(now.count == exported.count - 1)
        #expect(!now.contains(exported[5]))
        #expect(try workspace.store.snapshotHeader(channel: "from_pim")?.count == count - 1)
    }
}
