import Foundation
import SyndicCore
import Testing
@testable import SyndicEngine

struct SecretResolverTests {
    /// A directory holding `channels/` and secret files.
    final class Files {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-secrets-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/channels/keys", withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func write(_ relative: String, _ text: String) throws {
            try text.write(toFile: root + "/" + relative, atomically: true, encoding: .utf8)
        }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func failure(_ body: () throws -> [UInt8]) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: - Environment

    @Test func readsEnvironmentVariables() throws {
        let resolver = SecretResolver(environment: ["MIRAKL_FR_KEY": "k-1 é"])
        #expect(Self.text(try resolver.value(of: .env("MIRAKL_FR_KEY"), declaredIn: "channels/a.yaml")) == "k-1 é")
    }

    @Test func unsetOrEmptyVariableNamesTheVariableOnly() {
        let resolver = SecretResolver(environment: ["EMPTY": "", "OTHER": "other-secret"])
        #expect(Self.failure { try resolver.value(of: .env("MISSING"), declaredIn: "a.yaml") }
                == "environment variable MISSING is not set")
        #expect(Self.failure { try resolver.value(of: .env("EMPTY"), declaredIn: "a.yaml") }
                == "environment variable EMPTY is empty")
    }

    // MARK: - Files

    @Test func readsFilesRelativeToTheDeclaringFile() throws {
        let files = try Files()
        try files.write("channels/keys/mirakl", "file-secret")
        let resolver = SecretResolver(environment: [:])
        let declaring = files.root + "/channels/mirakl_fr.yaml"
        #expect(Self.text(try resolver.value(of: .file("keys/mirakl"), declaredIn: declaring)) == "file-secret")
        #expect(Self.text(try resolver.value(of: .file("../channels/keys/mirakl"), declaredIn: declaring)) == "file-secret")
        #expect(Self.text(try resolver.value(of: .file(files.root + "/channels/keys/mirakl"), declaredIn: "elsewhere.yaml"))
                == "file-secret")
    }

    @Test(arguments: [
        ("abc\n", "abc"), ("abc\r\n", "abc"), ("abc\n\n\n", "abc"), ("a\nb\n", "a\nb"), ("  spaced  \n", "  spaced  "),
        ("no newline", "no newline"),
    ])
    func stripsTrailingNewlines(_ content: String, _ value: String) throws {
        let files = try Files()
        try files.write("channels/keys/k", content)
        let resolver = SecretResolver(environment: [:])
        #expect(Self.text(try resolver.value(of: .file("keys/k"), declaredIn: files.root + "/channels/a.yaml")) == value)
    }

    @Test func missingFileNamesThePathNotAValue() throws {
        let files = try Files()
        try files.write("channels/keys/present", "present-secret-value")
        let resolver = SecretResolver(environment: ["X": "env-secret-value"])
        let message = Self.failure {
            try resolver.value(of: .file("keys/absent"), declaredIn: files.root + "/channels/a.yaml")
        }
        #expect(message == "secret file keys/absent cannot be read (\(files.root)/channels/keys/absent)")
        #expect(message?.contains("secret-value") == false)
    }

    @Test(arguments: ["", "\n", "\r\n\n"])
    func emptyFileIsAnError(_ content: String) throws {
        let files = try Files()
        try files.write("channels/keys/empty", content)
        let resolver = SecretResolver(environment: [:])
        #expect(Self.failure { try resolver.value(of: .file("keys/empty"), declaredIn: files.root + "/channels/a.yaml") }
                == "secret file keys/empty is empty")
    }

    @Test(arguments: [
        ("keys/k", "channels/a.yaml", "channels/keys/k"),
        ("keys/k", "a.yaml", "keys/k"),
        ("/etc/k", "channels/a.yaml", "/etc/k"),
        ("../k", "/srv/cfg/channels/a.yaml", "/srv/cfg/channels/../k"),
    ])
    func resolvesPaths(_ path: String, _ file: String, _ resolved: String) {
        #expect(SecretResolver(environment: [:]).resolve(path, relativeTo: file) == resolved)
    }

    // MARK: - Probe and fingerprints

    @Test func probeFeedsValidationWithoutValues() throws {
        let files = try Files()
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: mirakl_fr}
            spec:
              type: mirakl
              endpoint: https://mirakl.example/api
              credentials: {apiKey: {env: MIRAKL_FR_KEY}}
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp}
            spec: {type: ftp, host: ftp.example, username: {env: ERP_USER}, password: {file: keys/erp}}
            """
        let path = files.root + "/channels/all.yaml"
        let compiled = DocumentCompiler.compile(ConfigFile(relativePath: "all.yaml", displayPath: path, text: yaml))
        let resolver = SecretResolver(environment: ["ERP_USER": "erp-user-value"])
        let validated = ConfigValidator.validate([compiled], probe: resolver.probe)
        #expect(validated.diagnostics.map(\.description) == [
            "\(path):7:25: error: credentials.apiKey: environment variable MIRAKL_FR_KEY is not set",
            "\(path):12:75: error: password: secret file keys/erp cannot be read (\(files.root)/channels/keys/erp)",
        ])
        #expect(!validated.diagnostics.map(\.description).joined().contains("erp-user-value"))

        // Unreadable secrets get no fingerprint (validation reports them).
        #expect(resolver.fingerprints(of: compiled.resources, salt: [9, 9, 9]).mapValues { $0.keys.sorted() }
                == ["connection.erp": ["username"]])

        try files.write("channels/keys/erp", "erp-password\n")
        let fixed = SecretResolver(environment: ["ERP_USER": "erp-user-value", "MIRAKL_FR_KEY": "mk"])
        #expect(ConfigValidator.validate([compiled], probe: fixed.probe).diagnostics.isEmpty)

        let salt: [UInt8] = [9, 9, 9]
        let fingerprints = fixed.fingerprints(of: compiled.resources, salt: salt)
        #expect(fingerprints == [
            "channel.mirakl_fr": ["credentials.apiKey": Fingerprint.of(value: Array("mk".utf8), address: "channel.mirakl_fr",
                                                                       path: "credentials.apiKey", salt: salt)],
            "connection.erp": [
                "username": Fingerprint.of(value: Array("erp-user-value".utf8), address: "connection.erp", path: "username", salt: salt),
                "password": Fingerprint.of(value: Array("erp-password".utf8), address: "connection.erp", path: "password", salt: salt),
            ],
        ])
    }
}
