#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's process-wide memory statistics, so that its allocations take no global
/// mutex. Must run before SQLite initializes (before any connection opens); returns SQLite's
/// result code (SQLITE_MISUSE when it is too late, and nothing changes).
int syndic_sqlite_disable_memory_statistics(void);

#endif
