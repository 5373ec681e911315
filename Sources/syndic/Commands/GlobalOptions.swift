import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Options every command shares: where the configuration and the state are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration directory (recursive).")
    var dir: String = "channels"

    @Option(name: .long, help: "The state database (default: $SYNDIC_STATE or .syndic/state.sqlite).")
    var state: String?

    /// The state path after defaults.
    var statePath: String {
        state ?? ProcessInfo.processInfo.environment["SYNDIC_STATE"] ?? ".syndic/state.sqlite"
    }

    /// Where jobs keep files (dry-run exports): `work/` next to the state database.
    var workDirectory: URL {
        URL(fileURLWithPath: statePath).deletingLastPathComponent().appendingPathComponent("work")
    }

    /// Opens the state store.
    func openStore() throws -> SQLiteStateStore {
        let store = try SQLiteStateStore(path: statePath)
        if let pause = ProcessInfo.processInfo.environment["SYNDIC_FAULT_APPLY_PAUSE_MS"].flatMap(Int.init) {
            store.pauseInsideApplyTransaction = pause
        }
        return store
    }

    /// A reconciler for the directory (as it is at `gitRef`, when given) and the state.
    func reconciler(store: any StateStore, gitRef: String? = nil) -> Reconciler {
        Reconciler(directory: ConfigDirectory(path: dir, gitRef: gitRef), store: store, secrets: SecretResolver(),
                   now: Clock.now(), workDirectory: workDirectory)
    }
}

/// The current time; `SYNDIC_NOW` (ISO 8601) pins it for reproducible output.
enum Clock {
    static func now() -> Date {
        if let pinned = ProcessInfo.processInfo.environment["SYNDIC_NOW"],
           let date = ISO8601DateFormatter().date(from: pinned) {
            return date
        }
        return Date()
    }
}

extension Timestamp {
    /// The current time in UTC, for worker log lines.
    static func now() -> String { iso(Date(), zone: "UTC") }
}

/// Who is acting, for history: `SYNDIC_USER`, else the login name.
enum Actor {
    static func current() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["SYNDIC_USER"] ?? environment["USER"] ?? environment["LOGNAME"] { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
