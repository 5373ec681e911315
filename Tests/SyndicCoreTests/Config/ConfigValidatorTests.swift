import Testing
@testable import SyndicCore

/// Checks across files: names, references and secrets, on YAML compiled by `DocumentCompiler`.
struct ConfigValidatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var files: [File]
        var expected: [String]
        var testDescription: String { name }

        struct File: Sendable {
            var path: String
            var text: String
        }

        init(_ name: String, _ files: [(String, String)], _ expected: [String]) {
            self.name = name
            self.files = files.map { File(path: $0.0, text: $0.1) }
            self.expected = expected
        }
    }

    static let connectionsPath = TestConfig.connectionsPath
    static let connections = TestConfig.connections

    static func channel(_ name: String, _ type: String, _ body: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: \(name)
        spec:
          type: \(type)

        """ + body
    }

    static let cases: [Case] = [
        Case("duplicate name across two files names the first location", [
            (connectionsPath, connections),
            ("channels/more.yaml", """
                apiVersion: syndic/v1
                kind: Connection
                metadata:
                  name: pim
                spec: {type: local, path: elsewhere}
                """),
        ], [#"channels/more.yaml:4:9: error: duplicate connection name "pim" (first declared at channels/connections.yaml:3:18)"#]),
        Case("every later duplicate names the first", [
            ("channels/a.yaml", channel("shop", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: outbox}}}\n")),
            ("channels/b.yaml", channel("shop", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: outbox}}}\n")),
            ("channels/c.yaml", channel("shop", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: outbox}}}\n")),
            (connectionsPath, connections),
        ], [
            #"channels/b.yaml:4:9: error: duplicate channel name "shop" (first declared at channels/a.yaml:4:9)"#,
            #"channels/c.yaml:4:9: error: duplicate channel name "shop" (first declared at channels/a.yaml:4:9)"#,
        ]),
        Case("the same name in two kinds is allowed", [
            (connectionsPath, connections),
            ("channels/pim.yaml", channel("pim", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: outbox}}}\n")),
        ], []),
        Case("dangling source with did-you-mean", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", "  endpoint: https://mirakl.example\n  source: {connection: pimm}\n")),
        ], [#"channels/mirakl_fr.yaml:8:24: error: source.connection: connection "pimm" is not declared (did you mean "pim"?)"#]),
        Case("dangling storage with did-you-mean", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", """
                  endpoint: https://mirakl.example
                  orders:
                    export:
                      storage: {connection: partner_ft, folder: /out}

                """)),
        ], [#"channels/mirakl_fr.yaml:10:29: error: orders.export.storage.connection: connection "partner_ft" is not declared (did you mean "partner_ftp"?)"#]),
        Case("dangling reference without a close name", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", "  endpoint: https://mirakl.example\n  source: {connection: erp}\n")),
        ], [#"channels/mirakl_fr.yaml:8:24: error: source.connection: connection "erp" is not declared"#]),
        Case("source of the wrong connection type", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", "  endpoint: https://mirakl.example\n  source: {connection: outbox}\n")),
        ], [#"channels/mirakl_fr.yaml:8:24: error: source.connection: "outbox" is a local connection; expected akeneo, catalog-file"#]),
        Case("storage of the wrong connection type", [
            (connectionsPath, connections),
            ("channels/feed.yaml", channel("feed", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: pim}}}\n")),
        ], [#"channels/feed.yaml:8:45: error: products.export.storage.connection: "pim" is a catalog-file connection; expected local, ftp, ftps, sftp"#]),
        Case("an ftp connection is a valid storage", [
            (connectionsPath, connections),
            ("channels/feed.yaml", channel("feed", "flat-file", "  source: {connection: pim}\n  products: {export: {storage: {connection: partner_ftp}}}\n")),
        ], []),
        Case("references of a resource with errors are still checked", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", "  endpoint: https://mirakl.example\n  source: {connection: pimm}\n  stauts: active\n")),
        ], [
            #"channels/mirakl_fr.yaml:8:24: error: source.connection: connection "pimm" is not declared (did you mean "pim"?)"#,
            #"channels/mirakl_fr.yaml:9:3: error: unknown key "stauts" (did you mean "status"?)"#,
        ]),
        Case("unset environment variable names the variable", [
            (connectionsPath, connections),
            ("channels/mirakl_fr.yaml", channel("mirakl_fr", "mirakl", "  endpoint: https://mirakl.example\n  credentials: {apiKey: {env: MIRAKL_DE_KEY}}\n")),
        ], ["channels/mirakl_fr.yaml:8:25: error: credentials.apiKey: environment variable MIRAKL_DE_KEY is not set"]),
        Case("diagnostics are sorted by file, line and column", [
            ("channels/b.yaml", channel("b_feed", "flat-file", "  timezone: Nowhere/City\n")),
            ("channels/a.yaml", channel("a_feed", "flat-file", "  stauts: x\n  timezone: Nowhere/City\n")),
            (connectionsPath, connections),
        ], [
            #"channels/a.yaml:6:9: error: a flat-file channel needs products.export.storage (where the CSV goes)"#,
            #"channels/a.yaml:7:3: error: unknown key "stauts" (did you mean "status"?)"#,
            #"channels/a.yaml:8:13: error: unknown time zone "Nowhere/City" (use an IANA name such as Europe/Paris)"#,
            #"channels/b.yaml:6:9: error: a flat-file channel needs products.export.storage (where the CSV goes)"#,
            #"channels/b.yaml:7:13: error: unknown time zone "Nowhere/City" (use an IANA name such as Europe/Paris)"#,
        ]),
    ]

    @Test(arguments: cases)
    func validates(_ example: Case) {
        let validated = TestConfig.validate(example.files.map { ($0.path, $0.text) })
        #expect(validated.diagnostics.map(\.description) == example.expected)
        #expect(validated.hasErrors == !example.expected.isEmpty)
    }

    @Test func duplicatesKeepTheFirstDeclaration() throws {
        let validated = TestConfig.validate([
            (Self.connectionsPath, Self.connections),
            ("channels/more.yaml", "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: pim}\nspec: {type: local, path: x}\n"),
        ])
        #expect(validated.resources.map(\.address) == ["connection.pim", "connection.outbox", "connection.partner_ftp"])
        let pim = try #require(validated.resources.first)
        #expect(pim.type == "catalog-file")
        #expect(pim.file == Self.connectionsPath)
    }

    @Test func unsetConnectionSecretsAreReportedWithoutValues() {
        let environment = ["FTP_USER": "feed-user-value"]
        let validated = TestConfig.validate([(Self.connectionsPath, Self.connections)], environment: environment)
        #expect(validated.diagnostics.map(\.description) == [
            "channels/connections.yaml:14:83: error: password: environment variable FTP_PASSWORD is not set",
        ])
        #expect(!validated.diagnostics.map(\.description).joined().contains("feed-user-value"))
    }

    @Test func secretProblemsNeverEchoOtherSecretValues() {
        let validated = TestConfig.validate([
            (Self.connectionsPath, Self.connections),
            ("channels/mirakl_fr.yaml", Self.channel("mirakl_fr", "mirakl",
                                                     "  endpoint: https://mirakl.example\n  credentials: {apiKey: {env: MIRAKL_DE_KEY}}\n")),
        ])
        let text = validated.diagnostics.map(\.description).joined(separator: "\n")
        for value in TestConfig.environment.values { #expect(!text.contains(value)) }
    }

    @Test func probeSeesEachSecretWithItsResource() {
        let files = [
            (Self.connectionsPath, Self.connections),
            ("channels/mirakl_fr.yaml", Self.channel("mirakl_fr", "mirakl",
                                                     "  endpoint: https://mirakl.example\n  credentials: {apiKey: {file: keys/mirakl}}\n")),
        ].map { TestConfig.compile($0.1, path: $0.0) }
        let validated = ConfigValidator.validate(files) { secret, resource in
            "probed \(secret.reference) for \(resource.address) in \(resource.file)"
        }
        #expect(validated.diagnostics.map(\.description) == [
            "channels/connections.yaml:14:56: error: username: probed env:FTP_USER for connection.partner_ftp in channels/connections.yaml",
            "channels/connections.yaml:14:83: error: password: probed env:FTP_PASSWORD for connection.partner_ftp in channels/connections.yaml",
            "channels/mirakl_fr.yaml:8:25: error: credentials.apiKey: probed file:keys/mirakl for channel.mirakl_fr in channels/mirakl_fr.yaml",
        ])
    }

    @Test func warningsAreKeptAndDoNotCountAsErrors() {
        let validated = TestConfig.validate([
            (Self.connectionsPath, Self.connections),
            ("channels/amazon_de.yaml", Self.channel("amazon_de", "amazon-seller",
                                                     "  source: {connection: pim}\n  products: {export: {delta: true}}\n")),
        ])
        #expect(!validated.hasErrors)
        #expect(validated.warnings.map(\.location?.description) == ["channels/amazon_de.yaml:8:30"])
        #expect(validated.resources.count == 4)
    }

    @Test func emptyConfigurationIsValid() {
        let validated = ConfigValidator.validate([], probe: TestConfig.probe())
        #expect(validated.resources.isEmpty)
        #expect(validated.diagnostics.isEmpty)
        #expect(!validated.hasErrors)
    }
}
