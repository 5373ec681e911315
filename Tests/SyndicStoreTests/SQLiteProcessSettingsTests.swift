import CSQLiteSetup
import GRDBSQLite
import Testing
@testable import SyndicStore
import SyndicTestSupport

/// SQLite's process-wide settings: made before SQLite initializes, refused (and harmless)
/// after.
@Suite struct SQLiteProcessSettingsTests {
    /// Once a store is open the settings have been tried: in a process whose first SQLite
    /// connection is a store's they hold (SQLite counts no memory); in one where another
    /// connection came first, SQLite refused them and kept its defaults (it counts). Which of
    /// the two this test process is depends on which test opened SQLite first; each is checked.
    @Test func aStoreTriesTheSettingsBeforeItsFirstConnection() throws {
        let workspace = try StateWorkspace(.sqlite)
        _ = try workspace.store.currentSerial()
        switch SQLiteProcessSettings.applied {
        case SQLITE_OK:
            #expect(sqlite3_memory_used() == 0, "memory statistics are off")
        case SQLITE_MISUSE:
            // SQLite kept its default, statistics on (this build sets no other default): the
            // open connection's memory is counted.
            #expect(sqlite3_memory_used() > 0, "memory statistics kept on")
        case let code:
            Issue.record("SQLite answered \(code)")
        }
    }

    /// After SQLite has initialized (a store is open) the setting is refused and changes
    /// nothing: SQLite reads it only when it starts.
    @Test func theSettingIsRefusedOnceSQLiteRuns() throws {
        let workspace = try StateWorkspace(.sqlite)
        _ = try workspace.store.currentSerial()
        let before = sqlite3_memory_used()
        #expect(syndic_sqlite_disable_memory_statistics() == SQLITE_MISUSE)
        #expect((sqlite3_memory_used() == 0) == (before == 0))
    }
}
