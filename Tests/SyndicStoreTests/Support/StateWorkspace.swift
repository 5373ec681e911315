import Foundation
import SyndicCore
import SyndicStore

/// A new, empty state of one backend for one test, removed when the workspace goes.
final class StateWorkspace {
    let backend: StateBackend
    /// The state's file path (SQLite) or URL (PostgreSQL).
    let location: String
    let store: any StateStore

    init(_ backend: StateBackend) throws {
        let location = try backend.newLocation()
        self.backend = backend
        self.location = location
        do {
            store = try backend.open(location)
        } catch {
            backend.remove(location)
            throw error
        }
    }

    /// The same state opened again, as another process (or host) would.
    func reopen() throws -> any StateStore {
        try backend.open(location)
    }

    deinit { backend.remove(location) }
}
