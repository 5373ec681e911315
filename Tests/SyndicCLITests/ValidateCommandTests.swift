import Foundation
import Testing

/// `syndic validate` on the built binary.
@Suite struct ValidateCommandTests {
    @Test func reportsEveryProblemLocated() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "broken")
        let result = try workspace.syndic.run(["validate"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        try Golden.check(result.stderr, "validate-broken.txt")
    }

    @Test func acceptsAValidDirectory() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        let result = try Scenario.syndic(workspace).run(["validate"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "3 files, 6 resources: valid\n")
    }

    @Test func namesAnUnsetSecretWithoutAValue() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.use(fixture: "v1")
        var environment = Scenario.secrets
        environment["MIRAKL_FR_KEY"] = nil
        var syndic = workspace.syndic
        syndic.environment.merge(environment) { $1 }
        let result = try syndic.run(["validate"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "channels/mirakl_fr.yaml:11:13: error: credentials.apiKey: environment variable MIRAKL_FR_KEY is not set"))
    }

    @Test func missingDirectoryIsAnError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["validate", "--dir", "nowhere"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: configuration directory nowhere does not exist (pass --dir)\n")
    }
}
