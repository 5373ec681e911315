import Foundation
import Testing
import SyndicCore
@testable import SyndicStore
import SyndicTestSupport

/// What only a PostgreSQL state has: its server, its connections and passwords, its
/// migrations shared with other versions of syndic, one apply lock per database.
struct PostgresStateStoreTests {
    /// The database a state URL names.
    static func database(_ workspace: StateWorkspace) throws -> String {
        try PostgresLocation(url: workspace.location).database
    }

    /// A database a newer syndic migrated further is refused, not changed.
    @Test func aDatabaseANewerSyndicMigratedIsRefused() throws {
        let workspace = try StateWorkspace(.postgres)
        let server = try PostgresServer.shared()
        let database = try Self.database(workspace)
        try server.psql("INSERT INTO schema_migration (name) VALUES ('v99-future')", database: database)
        let migrations = try server.psql("SELECT name FROM schema_migration ORDER BY name", database: database)
        let (backend, location) = (workspace.backend, workspace.location)
        let description = workspace.store.locationDescription
        #expect {
            _ = try backend.open(location)
        } throws: { error in
            guard case StoreError.unavailable(let path, let reason) = error else { return false }
            return path == description && reason
                == "the database was written by a newer syndic (migration v99-future); upgrade syndic on this host"
        }
        #expect(try server.psql("SELECT name FROM schema_migration ORDER BY name", database: database) == migrations)
    }

    /// `sslmode=require` encrypts without checking the certificate; `verify-full` checks it
    /// against `sslrootcert` and the host name, and refuses a server it cannot verify.
    @Test func tlsConnectionsAreMadeAndVerified() throws {
        let server = try PostgresServer.shared()
        let plain = try server.makeDatabase()
        let database = try PostgresLocation(url: plain).database
        let base = "postgres://\(server.user)@127.0.0.1:\(server.port)/\(database)?passfile=\(server.passfile)"
        for query in ["&sslmode=require", "&sslmode=verify-full&sslrootcert=\(server.certificate)",
                      "&sslmode=verify-ca&sslrootcert=\(server.certificate)"] {
            let store = try PostgresStateStore(location: try PostgresLocation(url: base + query))
            #expect(try store.currentSerial() == 0, "\(query)")
            let encrypted = try store.pool.read { session in
                try session.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self)
            }
            #expect(encrypted == true, "\(query)")
        }
        let unencrypted = try PostgresStateStore(location: try PostgresLocation(url: base + "&sslmode=disable"))
        #expect(try unencrypted.pool.read { session in
            try session.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self)
        } == false)
        // Without the server's certificate as a trusted root, verify-full refuses the server.
        #expect {
            _ = try PostgresStateStore(location: try PostgresLocation(url: base + "&sslmode=verify-full"))
        } throws: { error in
            guard case StoreError.unavailable(_, let reason) = error else { return false }
            return reason.hasPrefix("cannot connect to 127.0.0.1:\(server.port):")
        }
    }

    @Test func aDatabaseThatDoesNotExistIsUnavailable() throws {
        let url = try PostgresServer.shared().url(database: "t_missing_\(UUID().uuidString.prefix(8).lowercased())")
        let location = try PostgresLocation(url: url)
        #expect {
            _ = try PostgresStateStore(location: location)
        } throws: { error in
            guard case StoreError.unavailable(let path, _) = error else { return false }
            return path == location.description
        }
    }

    /// A refused password is reported without the password, and so is a passfile others
    /// can read (before any connection).
    @Test func aWrongPasswordOrAnOpenPassfileIsUnavailableWithoutShowingThePassword() throws {
        let server = try PostgresServer.shared()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("syndic-pass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passfile = directory.appendingPathComponent("passfile").path
        FileManager.default.createFile(atPath: passfile, contents: Data("*:*:*:*:wrong-s3cret\n".utf8))
        let url = server.url(database: "postgres").replacingOccurrences(of: server.passfile, with: passfile)
        let location = try PostgresLocation(url: url)

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile)
        #expect {
            _ = try PostgresStateStore(location: location)
        } throws: { error in
            guard case StoreError.unavailable(let path, _) = error else { return false }
            return path == location.description && !"\(error)".contains("wrong-s3cret")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passfile)
        #expect {
            _ = try PostgresStateStore(location: location)
        } throws: { error in
            guard case StoreError.unavailable(let path, let reason) = error else { return false }
            return path == location.description && reason.contains("chmod 600 \(passfile)")
                && !"\(error)".contains("wrong-s3cret")
        }
    }

    /// Each database has an apply lock of its own: an apply of another state neither waits
    /// for it nor is named as its holder.
    @Test func theApplyLockIsOnePerDatabase() throws {
        let mine = try StateWorkspace(.postgres)
        let other = try StateWorkspace(.postgres)
        let otherLock = try other.store.lockForApply(timeout: 0, holder: "syndic apply by bob")
        let myLock = try mine.store.lockForApply(timeout: 0, holder: "syndic apply by alice")
        let store = mine.store
        let description = store.locationDescription
        #expect {
            _ = try store.lockForApply(timeout: 0, holder: "syndic apply by carol")
        } throws: { error in
            guard case StoreError.locked(let path, let holder) = error else { return false }
            return path == description && holder.hasPrefix("syndic apply by alice, ")
        }
        withExtendedLifetime((otherLock, myLock)) {}
    }
}
