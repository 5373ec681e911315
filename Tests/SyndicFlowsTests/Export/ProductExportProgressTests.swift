import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport
import Testing

/// What a product export reports as its progress: from a catalog file, bytes of the file of
/// its size, ending at the whole file; the export guard's counting pass as a step of its own.
struct ProductExportProgressTests {
    @Test func aCatalogFileExportReportsBytesOfTheFilesSizeAndEndsAtTheWholeFile() async throws {
        let workspace = try FlatFileDestinationTests.workspace()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: workspace.path("catalog/products.jsonl"))[.size]
                                    as? Int)
        let reports = ProgressReports()
        let run = try await workspace.run("feed") { _, progress in reports.append(progress) }
        #expect(run.status == .succeeded, "\(run.error ?? "")")

        let seen = reports.values
        try #require(!seen.isEmpty)
        #expect(seen.allSatisfy { $0.unit == .bytes && $0.total == size && $0.noun == "products" && $0.step == nil },
                "\(seen)")
        #expect(seen.map(\.done) == seen.map(\.done).sorted())
        let last = try #require(seen.last)
        #expect(last.done == size)
        #expect(last.total == size)
        #expect(last.items == run.counts["read"])
    }

    /// An akeneo-api destination sends while products are added: the guard's counting pass
    /// reads the file first, shown as its own step, then the sending pass reads it again.
    @Test func theGuardsCountingPassIsAStepOfItsOwn() async throws {
        let workspace = try FlowWorkspace()
        try workspace.catalog("catalog/products.jsonl", (1...150).map { TestProduct($0) })
        try workspace.catalog("target/catalog.jsonl", [TestProduct(900)])
        let server = try AkeneoAPIDestinationTests.target(workspace, catalog: workspace.path("target/catalog.jsonl"))
        defer { server.kill() }
        try workspace.secret("target_client_id", "target_client")
        try workspace.secret("target_secret", "target-secret-3")
        try workspace.secret("target_username", "target_\(workspace.id)")
        try workspace.secret("target_password", AkeneoAPIDestinationTests.targetPassword)
        try workspace.config("connections.yaml", FlatFileDestinationTests.connections)
        let channel = AkeneoAPIDestinationTests.channel(endpoint: server.baseURL, batchSize: 100, delta: true,
                                                        mapping: ["name~fr_FR: name~fr_FR", "price@EUR: price@EUR"])
        try workspace.config("to_pim.yaml", channel.replacingOccurrences(
            of: "      delta: true\n", with: "      delta: true\n      guard: {maxDropPercent: 50}\n"))
        try workspace.apply()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: workspace.path("catalog/products.jsonl"))[.size]
                                    as? Int)

        let reports = ProgressReports()
        let run = try await workspace.run("to_pim") { _, progress in reports.append(progress) }
        #expect(run.status == .succeeded, "\(run.error ?? "")")

        let seen = reports.values
        let counting = seen.prefix { $0.step == "counting for the export guard" }
        let sending = seen.dropFirst(counting.count)
        try #require(!counting.isEmpty && !sending.isEmpty, "\(seen)")
        #expect(sending.allSatisfy { $0.step == nil }, "\(seen)")
        #expect(counting.last?.done == size)
        #expect(counting.last?.items == 150)
        #expect(sending.last?.done == size)
        #expect(sending.last?.items == 150)
        #expect(seen.allSatisfy { $0.unit == .bytes && $0.total == size })
    }
}

/// The progress reports of a run, in order (jobs report from threads of their own).
final class ProgressReports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [RunProgress] = []

    func append(_ report: RunProgress) { lock.withLock { reports.append(report) } }

    var values: [RunProgress] { lock.withLock { reports } }
}
