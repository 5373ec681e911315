import Foundation
import SyndicCore
import SyndicStore

/// Fault injection for the crash-safety tests, compiled into debug builds only: a release
/// build ignores the environment and installs nothing.
///
/// `SYNDIC_FAULT_APPLY_PAUSE_MS=N` makes `apply` print `apply: transaction open, pausing N ms`
/// to standard error and wait N milliseconds inside its open transaction, so a test can kill
/// the process there and check that nothing of the apply was kept.
enum TestFaults {
    /// Installs, on `store`, the hooks the environment asks for (none in a release build).
    static func install(on store: any StateStore) {
        #if DEBUG
        let environment = ProcessInfo.processInfo.environment
        guard let pause = environment["SYNDIC_FAULT_APPLY_PAUSE_MS"].flatMap(Int.init), pause > 0 else { return }
        let hook: @Sendable () -> Void = {
            FileHandle.standardError.write(Data("apply: transaction open, pausing \(pause) ms\n".utf8))
            Thread.sleep(forTimeInterval: Double(pause) / 1000)
        }
        if let sqlite = store as? SQLiteStateStore {
            sqlite.applyTransactionHook = hook
        } else if let postgres = store as? PostgresStateStore {
            postgres.applyTransactionHook = hook
        }
        #endif
    }
}
