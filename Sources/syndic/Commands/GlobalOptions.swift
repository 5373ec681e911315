import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// Options every command shares: where the configuration and the state are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration directory (recursive).")
    var dir: String = "channels"

    @Option(name: .long, help: ArgumentHelp(
        "The state: a SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DB "
            + "(default: $SYNDIC_STATE or .syndic/state.sqlite).",
        discussion: "A PostgreSQL password comes from PGPASSWORD or a passfile, never from the URL."))
    var state: String?

    /// The `--state` value after defaults.
    var stateArgument: String {
        state ?? ProcessInfo.processInfo.environment["SYNDIC_STATE"] ?? ".syndic/state.sqlite"
    }

    /// Where the state is; a URL that cannot be used fails the command with its reason.
    func stateLocation() throws -> StateLocation {
        do {
            return try StateLocation(stateArgument)
        } catch {
            throw Failure.exit("\(error)")
        }
    }

    /// Where jobs keep files: `work/` next to a SQLite state, `.syndic/work` for PostgreSQL.
    var workDirectory: URL {
        let location = (try? StateLocation(stateArgument)) ?? .sqlite(path: stateArgument)
        return location.hostDirectory.appendingPathComponent("work")
    }

    /// Opens the state store.
    func openStore() throws -> any StateStore {
        let store: any StateStore
        do {
            store = try stateLocation().open()
        } catch let error as StoreError {
            throw Failure.exit("\(error)")
        }
        TestFaults.install(on: store)
        return store
    }

    /// Takes the apply lock and opens the state.
    func openLockedStore(timeout: Double, holder: String) throws -> (store: any StateStore, lock: AnyObject) {
        let opened: (store: any StateStore, lock: AnyObject)
        do {
            opened = try stateLocation().openLocked(timeout: timeout, holder: holder)
        } catch let error as StoreError {
            throw Failure.exit("\(error)")
        }
        TestFaults.install(on: opened.store)
        return opened
    }

    /// A reconciler for the directory (as it is at `gitRef`, when given) and the state.
    func reconciler(store: any StateStore, gitRef: String? = nil) -> Reconciler {
        Reconciler(directory: ConfigDirectory(path: dir, gitRef: gitRef), store: store, secrets: SecretResolver(),
                   now: CommandClock.now(), workDirectory: workDirectory)
    }
}
