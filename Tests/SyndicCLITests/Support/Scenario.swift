import Foundation

/// The fixture secrets and helpers shared by the end-to-end tests.
enum Scenario {
    /// Environment values for the fixtures' `{env: …}` secrets.
    static let secrets: [String: String] = [
        "PARTNER_FTP_USER": "partner",
        "PARTNER_FTP_PASSWORD": "ftp-password-1",
        "MIRAKL_FR_KEY": "mirakl-key-1",
        "AMAZON_CLIENT_ID": "amzn-client",
        "AMAZON_REFRESH_TOKEN": "amzn-refresh",
    ]

    /// A workspace with fixture `v1` applied (serial 1).
    static func appliedV1() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.use(fixture: "v1")
        var syndic = workspace.syndic
        syndic.environment.merge(secrets) { $1 }
        let result = try syndic.run(["apply"])
        precondition(result.status == 0, "apply of v1 failed: \(result.stderr)")
        return workspace
    }

    /// Moves a v1 workspace to fixture `v2` (with the secret file it needs).
    static func moveToV2(_ workspace: Workspace) throws {
        try workspace.use(fixture: "v2")
        try workspace.write("secrets/amazon_secret", "amzn-secret\n")
    }

    /// The syndic runner of a workspace with the fixture secrets set.
    static func syndic(_ workspace: Workspace, extra: [String: String] = [:]) -> SyndicProcess {
        var syndic = workspace.syndic
        syndic.environment.merge(secrets) { $1 }
        syndic.environment.merge(extra) { $1 }
        return syndic
    }
}
