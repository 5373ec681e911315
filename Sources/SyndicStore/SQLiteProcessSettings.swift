import CSQLiteSetup

/// SQLite's settings for the whole process, made once before its first connection opens.
///
/// Memory statistics are off: with them on (SQLite's default), every allocation SQLite makes
/// takes one process-wide mutex to count it, and two connections working at once on two
/// threads (a read connection deciding the next batch while the writing one stores the one
/// before, the Orders API's readers) wait on each other there. Nothing in syndic reads those
/// statistics or sets a heap limit, which needs them.
enum SQLiteProcessSettings {
    /// Applies the settings on first use; a process that opened SQLite before (a host
    /// embedding syndic's store) keeps SQLite's defaults, which are only slower.
    static func apply() {
        _ = applied
    }

    /// SQLite's result code (`SQLITE_OK`, or `SQLITE_MISUSE` when SQLite had initialized
    /// before), kept for the process's lifetime so the call runs once.
    static let applied: Int32 = syndic_sqlite_disable_memory_statistics()
}
