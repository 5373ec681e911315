import Foundation
import SyndicCore

/// Where a PostgreSQL state lives, read from a `postgres://USER@HOST:PORT/DB?…` URL.
///
/// The password never comes from the URL (a command line is visible to every user of the
/// host): it comes from `PGPASSWORD`, or from a passfile (`passfile=` in the URL, else
/// `PGPASSFILE`, else `~/.pgpass`) in libpq's format. `description` never shows it.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    /// How the connection is encrypted, as libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// The certificate authorities a `verify-ca`/`verify-full` connection trusts (PEM file).
    public var sslRootCert: String?
    /// The passfile named in the URL.
    public var passfile: String?
    /// `connect_timeout` in seconds (default 10).
    public var connectTimeout: Int

    /// Whether `text` names a PostgreSQL state rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a state URL; the error says what is wrong without repeating a password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw PostgresLocationError("expected postgres://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw PostgresLocationError("the URL carries a password; give it in PGPASSWORD or a passfile instead "
                + "(a command line is visible to every user of the host)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresLocationError("the URL names no host (postgres://USER@HOST:PORT/DATABASE)")
        }
        self.host = host
        port = components.port ?? Int(environment["PGPORT"] ?? "") ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"]
            ?? environment["USER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let name = path.removingPercentEncoding ?? path
        database = name.isEmpty ? (environment["PGDATABASE"] ?? user) : name
        sslMode = .prefer
        connectTimeout = 10
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresLocationError("sslmode=\(value) is not one of "
                        + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            case "sslrootcert": sslRootCert = value
            case "passfile": passfile = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw PostgresLocationError("connect_timeout=\(value) is not a positive number of seconds")
                }
                connectTimeout = seconds
            case "application_name", "options": continue
            default:
                throw PostgresLocationError("unknown parameter \"\(item.name)\" (known: sslmode, sslrootcert, "
                    + "passfile, connect_timeout)")
            }
        }
        if (sslMode == .verifyCA || sslMode == .verifyFull), sslRootCert == nil,
           let fromEnvironment = environment["PGSSLROOTCERT"] {
            sslRootCert = fromEnvironment
        }
    }

    /// The URL without secrets, as errors and logs show it.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The password for this location: `PGPASSWORD`, else the first matching passfile line.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let file = passfile ?? environment["PGPASSFILE"]
            ?? environment["HOME"].map { ($0 as NSString).appendingPathComponent(".pgpass") }
        guard let file, FileManager.default.fileExists(atPath: file) else {
            if let named = passfile { throw PostgresLocationError("the passfile \(named) does not exist") }
            return nil
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw PostgresLocationError("the passfile \(file) can be read by others (mode "
                + String(mode & 0o777, radix: 8) + "); make it private: chmod 600 \(file)")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PostgresLocationError("cannot read the passfile \(file)")
        }
        return PassfileEntry.password(in: text, host: host, port: port, database: database, user: user)
    }
}

/// A state URL that cannot be used, with the reason.
public struct PostgresLocationError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = "invalid PostgreSQL state URL: " + description }
}

/// libpq's passfile format: `host:port:database:user:password` per line, `*` matching
/// anything, `\:` and `\\` escaped, `#` starting a comment.
enum PassfileEntry {
    static func password(in text: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field == "*" || field == value || (field == "localhost" && value == "127.0.0.1")
            }
            if matches { return fields[4] }
        }
        return nil
    }

    /// Splits a line on unescaped colons, removing the escapes.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
