import Foundation
import Testing
import SyndicCore
@testable import SyndicStore

/// Reading a PostgreSQL state URL and finding its password, without a server: the password
/// never comes from the URL, a passfile must be its owner's only, and the location's
/// description never shows a secret.
@Suite struct PostgresLocationTests {
    static func location(_ url: String, _ environment: [String: String] = [:]) throws -> PostgresLocation {
        try PostgresLocation(url: url, environment: environment)
    }

    /// The error a URL gets, as its description.
    static func error(_ url: String, _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try location(url, environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A new passfile holding `text` with `mode`, in a new temporary directory.
    static func passfile(_ text: String, mode: Int = 0o600) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("syndic-pass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("passfile").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static func removePassfile(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    // MARK: - The URL

    @Test func aURLNamesUserHostPortDatabaseAndOptions() throws {
        let location = try Self.location(
            "postgres://alice@db.example:6543/state?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3"
                + "&application_name=x&passfile=/home/alice/pass")
        #expect(location.user == "alice")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.database == "state")
        #expect(location.sslMode == .verifyFull)
        #expect(location.sslRootCert == "/etc/ca.pem")
        #expect(location.connectTimeout == 3)
        #expect(location.passfile == "/home/alice/pass")
        #expect(try Self.location("postgresql://alice@db.example/state")
                == Self.location("postgres://alice@db.example/state"))
        #expect(try Self.location("postgres://alice@db.example/my%20state").database == "my state")
    }

    @Test func whatTheURLLeavesOutComesFromTheEnvironmentOrTheDefaults() throws {
        let plain = try Self.location("postgres://db.example")
        #expect(plain.user == "postgres")
        #expect(plain.port == 5432)
        #expect(plain.database == "postgres")
        #expect(plain.sslMode == .prefer)
        #expect(plain.connectTimeout == 10)
        #expect(plain.sslRootCert == nil && plain.passfile == nil)

        let configured = try Self.location("postgres://db.example", ["PGPORT": "5433", "PGUSER": "bob", "USER": "carol",
                                                                       "PGDATABASE": "state"])
        #expect(configured.user == "bob")
        #expect(configured.port == 5433)
        #expect(configured.database == "state")
        let logged = try Self.location("postgres://db.example", ["USER": "carol"])
        #expect(logged.user == "carol")
        #expect(logged.database == "carol", "the database is named after the user by default")
        #expect(try Self.location("postgres://alice@db.example:6000/s", ["PGPORT": "5433"]).port == 6000)
    }

    @Test func aPasswordInTheURLIsRefusedWithoutRepeatingIt() {
        let error = Self.error("postgres://alice:s3cret@db.example/state")
        #expect(error == "invalid PostgreSQL state URL: the URL carries a password; give it in PGPASSWORD or a "
                + "passfile instead (a command line is visible to every user of the host)")
        #expect(error?.contains("s3cret") == false)
    }

    @Test func whatIsNotAStateURLIsRefused() {
        #expect(Self.error("state.sqlite")
                == "invalid PostgreSQL state URL: expected postgres://USER@HOST:PORT/DATABASE")
        #expect(Self.error("mysql://alice@db.example/state")
                == "invalid PostgreSQL state URL: expected postgres://USER@HOST:PORT/DATABASE")
        #expect(Self.error("postgres:///state")
                == "invalid PostgreSQL state URL: the URL names no host (postgres://USER@HOST:PORT/DATABASE)")
        #expect(Self.error("postgres://db.example/s?sslcert=/c.pem")
                == "invalid PostgreSQL state URL: unknown parameter " + #""sslcert" "#
                + "(known: sslmode, sslrootcert, passfile, connect_timeout)")
        for timeout in ["0", "-1", "soon"] {
            #expect(Self.error("postgres://db.example/s?connect_timeout=\(timeout)")
                    == "invalid PostgreSQL state URL: connect_timeout=\(timeout) is not a positive number of seconds")
        }
        #expect(PostgresLocation.isURL("postgresql://h/d") && PostgresLocation.isURL("postgres://h/d"))
        #expect(!PostgresLocation.isURL("/var/lib/syndic/state.sqlite"))
    }

    // MARK: - TLS

    @Test(arguments: PostgresLocation.SSLMode.allCases)
    func everySSLModeReads(_ mode: PostgresLocation.SSLMode) throws {
        #expect(try Self.location("postgres://db.example/s?sslmode=\(mode.rawValue)").sslMode == mode)
    }

    @Test func anUnknownSSLModeIsRefusedListingTheKnownOnes() {
        #expect(Self.error("postgres://db.example/s?sslmode=on")
                == "invalid PostgreSQL state URL: sslmode=on is not one of disable, allow, prefer, require, verify-ca, "
                + "verify-full")
    }

    @Test func theVerifyingModesTakeTheirAuthoritiesFromTheEnvironmentUnlessTheURLNamesThem() throws {
        let environment = ["PGSSLROOTCERT": "/env/ca.pem"]
        #expect(try Self.location("postgres://h/s?sslmode=verify-ca", environment).sslRootCert == "/env/ca.pem")
        #expect(try Self.location("postgres://h/s?sslmode=verify-full", environment).sslRootCert == "/env/ca.pem")
        #expect(try Self.location("postgres://h/s?sslmode=verify-full&sslrootcert=/url/ca.pem", environment).sslRootCert
                == "/url/ca.pem")
        #expect(try Self.location("postgres://h/s?sslmode=require", environment).sslRootCert == nil)
    }

    // MARK: - Description

    @Test func theDescriptionShowsNoSecret() throws {
        let location = try Self.location(
            "postgresql://alice@db.example:6543/state?sslmode=require&passfile=/secret/dir/pass&sslrootcert=/ca.pem",
            ["PGPASSWORD": "s3cret"])
        #expect(location.description == "postgres://alice@db.example:6543/state")
        #expect("\(location)" == "postgres://alice@db.example:6543/state")
        #expect(try Self.location("postgres://db.example", ["USER": "bob"]).description
                == "postgres://bob@db.example:5432/bob")
    }

    // MARK: - The password

    @Test func thePasswordComesFromPGPASSWORDFirst() throws {
        let location = try Self.location("postgres://alice@h/s?passfile=/does/not/exist")
        #expect(try location.password(environment: ["PGPASSWORD": "from-env"]) == "from-env")
    }

    @Test func aPassfileLineMatchesHostPortDatabaseAndUserWithWildcardsAndEscapes() throws {
        let file = try Self.passfile("""
            # comment:*:*:*:commented
            other.example:6543:*:alice:other host
            db.example:6543:state:bob:not alice
            db.example:6543:*:alice:pa\\:ss\\\\word:with colons
            short:line
            *:*:*:*:anyone
            """)
        defer { Self.removePassfile(file) }
        let alice = try Self.location("postgres://alice@db.example:6543/state?passfile=\(file)")
        #expect(try alice.password(environment: [:]) == "pa:ss\\word:with colons")
        let bob = try Self.location("postgres://bob@db.example:6543/state?passfile=\(file)")
        #expect(try bob.password(environment: [:]) == "not alice")
        let carol = try Self.location("postgres://carol@db.example:6543/state?passfile=\(file)")
        #expect(try carol.password(environment: [:]) == "anyone")
    }

    @Test func aLocalhostLineServes127001() throws {
        let file = try Self.passfile("localhost:5432:*:alice:local\n")
        defer { Self.removePassfile(file) }
        let local = try Self.location("postgres://alice@127.0.0.1/s?passfile=\(file)")
        #expect(try local.password(environment: [:]) == "local")
        let remote = try Self.location("postgres://alice@10.0.0.1/s?passfile=\(file)")
        #expect(try remote.password(environment: [:]) == nil)
    }

    @Test func thePassfileIsTheURLsThenPGPASSFILEThenPgpassInHome() throws {
        let named = try Self.passfile("*:*:*:*:named\n")
        let fromEnvironment = try Self.passfile("*:*:*:*:environment\n")
        let home = try Self.passfile("*:*:*:*:home\n")
        defer { [named, fromEnvironment, home].forEach(Self.removePassfile) }
        let homeDirectory = (home as NSString).deletingLastPathComponent
        try FileManager.default.moveItem(atPath: home, toPath: homeDirectory + "/.pgpass")
        let environment = ["PGPASSFILE": fromEnvironment, "HOME": homeDirectory]

        let withPassfile = try Self.location("postgres://alice@h/s?passfile=\(named)")
        #expect(try withPassfile.password(environment: environment) == "named")
        let plain = try Self.location("postgres://alice@h/s")
        #expect(try plain.password(environment: environment) == "environment")
        #expect(try plain.password(environment: ["HOME": homeDirectory]) == "home")
        // No passfile at all: no password (trust or peer authentication may need none).
        #expect(try plain.password(environment: ["HOME": "/nonexistent"]) == nil)
        #expect(try plain.password(environment: ["PGPASSFILE": "/nonexistent/pass"]) == nil)
    }

    @Test func aPassfileTheURLNamesMustExist() throws {
        let location = try Self.location("postgres://alice@h/s?passfile=/nonexistent/pass")
        #expect {
            _ = try location.password(environment: [:])
        } throws: { error in
            "\(error)" == "invalid PostgreSQL state URL: the passfile /nonexistent/pass does not exist"
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o666])
    func aPassfileOthersCanReadIsRefused(_ mode: Int) throws {
        let file = try Self.passfile("*:*:*:*:secret\n", mode: mode)
        defer { Self.removePassfile(file) }
        let location = try Self.location("postgres://alice@h/s?passfile=\(file)")
        #expect {
            _ = try location.password(environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text == "invalid PostgreSQL state URL: the passfile \(file) can be read by others (mode "
                + String(mode, radix: 8) + "); make it private: chmod 600 \(file)"
                && !text.contains("secret")
        }
    }

    @Test(arguments: [0o600, 0o400])
    func aPassfileOfItsOwnerOnlyIsRead(_ mode: Int) throws {
        let file = try Self.passfile("*:*:*:*:secret\n", mode: mode)
        defer { Self.removePassfile(file) }
        #expect(try Self.location("postgres://alice@h/s?passfile=\(file)").password(environment: [:]) == "secret")
    }
}
