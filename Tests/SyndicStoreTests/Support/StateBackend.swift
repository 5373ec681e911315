import Foundation
import SyndicCore
import SyndicStore
import SyndicTestSupport

/// The backends every store test runs on, one test case each: SQLite (a file in a
/// temporary directory) and PostgreSQL (a new database of the test process's server).
enum StateBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    var description: String { rawValue }

    /// Where a new, empty state of this backend goes: a file path in a new temporary
    /// directory, or the URL of a new database.
    func newLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory
                .appendingPathComponent("syndic-state-\(UUID().uuidString)/.syndic/state.sqlite").path
        case .postgres:
            return try PostgresServer.shared().makeDatabase()
        }
    }

    /// Opens (creating and migrating) the state at `location`, as the commands do.
    func open(_ location: String) throws -> any StateStore {
        try StateLocation(location).open()
    }

    /// Removes the state at `location`: its temporary directory, or its database (cutting
    /// the connections still open to it).
    func remove(_ location: String) {
        switch self {
        case .sqlite:
            let root = URL(fileURLWithPath: location).deletingLastPathComponent().deletingLastPathComponent()
            try? FileManager.default.removeItem(at: root)
        case .postgres:
            guard let database = try? PostgresLocation(url: location).database else { return }
            _ = try? PostgresServer.shared().psql("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        }
    }
}
