import SyndicCore

/// Compiles and validates YAML texts the way `syndic validate` does, for table tests.
enum TestConfig {
    /// Connections most channel fixtures reference: a catalog-file source, a local folder and
    /// an FTP server.
    static let connectionsPath = "channels/connections.yaml"
    static let connections = """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: pim}
        spec: {type: catalog-file, path: products.jsonl}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: outbox}
        spec: {type: local, path: out}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: partner_ftp}
        spec: {type: ftp, host: ftp.partner.example, username: {env: FTP_USER}, password: {env: FTP_PASSWORD}}

        """

    /// The environment the default probe reads.
    static let environment = ["FTP_USER": "feed", "FTP_PASSWORD": "s3cret-ftp", "MIRAKL_FR_KEY": "mk-123"]

    /// A probe answering like the engine's secret resolver: env variables from `environment`,
    /// files always readable.
    static func probe(_ environment: [String: String] = environment) -> ConfigValidator.SecretProbe {
        { secret, _ in
            switch secret.reference {
            case .env(let name): environment[name] == nil ? "environment variable \(name) is not set" : nil
            case .file: nil
            }
        }
    }

    /// Compiles one text as the file `path`.
    static func compile(_ text: String, path: String = "channels/mirakl_fr.yaml") -> CompiledFile {
        DocumentCompiler.compile(ConfigFile(relativePath: String(path.dropFirst("channels/".count)),
                                            displayPath: path, text: text))
    }

    /// Compiles and validates several files given as (display path, text).
    static func validate(_ files: [(path: String, text: String)],
                         environment: [String: String] = environment) -> ValidatedConfig {
        ConfigValidator.validate(files.map { compile($0.text, path: $0.path) }, probe: probe(environment))
    }

    /// Compiles `text` next to the shared connections and renders every diagnostic.
    static func render(_ text: String, path: String = "channels/mirakl_fr.yaml",
                       environment: [String: String] = environment) -> [String] {
        validate([(connectionsPath, connections), (path, text)], environment: environment).diagnostics
            .map(\.description)
    }
}
