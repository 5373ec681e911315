import Foundation
import SyndicCore

/// Where the state is: a SQLite file (the default, one host) or a PostgreSQL database
/// (`postgres://USER@HOST:PORT/DB`, shared by several hosts).
public enum StateLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads a `--state` value: a `postgres://` or `postgresql://` URL, else a file path.
    public init(_ text: String) throws {
        if PostgresLocation.isURL(text) {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The location without secrets.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.description
        }
    }

    /// Whether a state may already be there without opening it: a SQLite file must exist; a
    /// database is always asked.
    public var mayExist: Bool {
        switch self {
        case .sqlite(let path): return FileManager.default.fileExists(atPath: path)
        case .postgres: return true
        }
    }

    /// Where this host keeps files: next to a SQLite state, or `.syndic/` in the working
    /// directory for a PostgreSQL one (only temporary files: everything a later run or
    /// another host needs is in the database).
    public var hostDirectory: URL {
        switch self {
        case .sqlite(let path): return URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres: return URL(fileURLWithPath: ".syndic", isDirectory: true)
        }
    }

    /// Opens (creating and migrating) the state.
    public func open(connections: Int = 4) throws -> any StateStore {
        switch self {
        case .sqlite(let path): return try SQLiteStateStore(path: path)
        case .postgres(let location): return try PostgresStateStore(location: location, connections: connections)
        }
    }

    /// Takes the apply lock and opens the state. A SQLite state is locked before it is
    /// opened (opening a new one writes to it); a PostgreSQL lock needs the connection first.
    public func openLocked(timeout: Double, holder: String) throws -> (store: any StateStore, lock: AnyObject) {
        switch self {
        case .sqlite(let path):
            let lock = try StateLock(statePath: path, timeout: timeout, holder: holder)
            return (try SQLiteStateStore(path: path), lock)
        case .postgres:
            let store = try open()
            return (store, try store.lockForApply(timeout: timeout, holder: holder))
        }
    }
}
