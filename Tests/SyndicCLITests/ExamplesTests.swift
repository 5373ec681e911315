import Foundation
import Testing

/// The shipped configurations stay valid: `channels/` and everything under `examples/`.
@Suite struct ExamplesTests {
    static let repository = Workspace.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    @Test func demoChannelsValidate() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["validate", "--dir", ExamplesTests.repository.appendingPathComponent("channels").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("2 files, 3 resources: valid\n"))
    }

    @Test func marketplaceExamplesValidate() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let names = ["AKENEO_CLIENT_ID", "AKENEO_SECRET", "AKENEO_USERNAME", "PARTNER_FTP_USER", "PARTNER_FTP_PASSWORD",
                     "MIRAKL_FR_KEY", "AMAZON_CLIENT_ID", "AMAZON_CLIENT_SECRET", "AMAZON_REFRESH_TOKEN",
                     "PARTNER_PIM_CLIENT_ID", "PARTNER_PIM_SECRET", "PARTNER_PIM_USERNAME", "PARTNER_PIM_PASSWORD"]
        let environment = Dictionary(uniqueKeysWithValues: names.map { ($0, "x") })
        let directory = ExamplesTests.repository.appendingPathComponent("examples/marketplaces").path
        let result = try workspace.syndic.run(["validate", "--dir", directory], extra: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("4 files, 5 resources: valid\n"))
        #expect(result.stderr.isEmpty)
    }
}
