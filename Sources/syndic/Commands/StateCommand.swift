import ArgumentParser
import Foundation
import SyndicCore
import SyndicStore

/// `syndic state`: operations on the state itself.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Operations on the state itself.",
        subcommands: [Migrate.self])

    /// `syndic state migrate --to postgres://…`: moves a SQLite state to PostgreSQL.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite state into an empty PostgreSQL database.",
            discussion: """
                Copies every table of the SQLite state (--state, or its default) into the database --to names, \
                in one transaction, and compares the row counts of every table before it commits. The target \
                must be new and empty; the SQLite state is only read. Stop workers, servers and reconcilers \
                first, then start them again with --state set to the new URL. Exit 0 when copied, 1 otherwise.
                """)

        @OptionGroup var options: GlobalOptions

        @Option(name: .long, help: "The PostgreSQL state to copy into: postgres://USER@HOST:PORT/DB.")
        var to: String

        func run() throws {
            guard case .sqlite(let path) = try options.stateLocation() else {
                throw Failure.exit("--state must be a SQLite file to migrate from (it is \(options.stateArgument))")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw Failure.exit("no SQLite state at \(path)")
            }
            let target: PostgresLocation
            do {
                target = try PostgresLocation(url: to)
            } catch {
                throw Failure.exit("--to: \(error)")
            }
            do {
                let source = try SQLiteStateStore(path: path)
                let destination = try PostgresStateStore(location: target)
                let summary = try StateCopy.copy(from: source, to: destination)
                for (table, count) in summary.rows where count > 0 {
                    Output.print("  \(table): \(count) rows")
                }
                Output.print("copied \(summary.total) rows from \(path) to \(target); every table's count matches")
            } catch {
                throw Failure.exit("\(error)")
            }
        }
    }
}
