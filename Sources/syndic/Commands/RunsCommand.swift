import ArgumentParser
import Foundation
import SyndicCore
import SyndicStore

/// `syndic runs`: what ran, when, and how it went.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, or show one run with its report and log lines.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    /// `syndic runs [CHANNEL]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "Only this channel.")
        var channel: String?

        @Option(name: .long, help: "Only this job.")
        var job: JobKind?

        @Option(name: .long, help: "Only this status: queued, running, succeeded, failed, canceled, held.")
        var status: RunStatus?

        @Option(name: .long, help: "At most N runs.")
        var limit: Int = 50

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let store = try options.openStore()
            do {
                let runs = try store.runs(RunFilter(channel: channel, job: job, status: status, limit: limit))
                switch format {
                case .text: Output.print(RunsView(runs: runs).render())
                case .json: Output.print(try RunsJSON(runs: runs).render())
                }
            } catch {
                throw Failure.exit("\(error)")
            }
        }
    }

    /// `syndic runs show RUN_ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one run: status, timings, counts, report, export record, files, log lines.",
            discussion: "Exit 1 when there is no such run or file.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The run id.")
        var id: Int64

        @Option(name: .long, help: "Print this file the run kept (feedback.csv, error-report.csv, …) instead.")
        var file: String?

        @Flag(name: .long, help: "List every product a delta export sent (default: the first 20).")
        var products = false

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        func validate() throws {
            if file != nil && format == .json {
                throw ValidationError("--file prints the file as it was kept; it does not take --format json")
            }
        }

        func run() throws {
            let store = try options.openStore()
            do {
                guard let (run, lines) = try store.run(id: id) else { throw QueueError.unknownRun(id) }
                if let file {
                    guard let content = try store.artifact(runID: id, name: file) else {
                        throw Failure.exit("run \(id) kept no file named \(file)")
                    }
                    FileHandle.standardOutput.write(content)
                    return
                }
                let exports = try store.productExports(runID: id), files = try store.artifacts(runID: id)
                let productLimit: Int? = products ? nil : 20
                switch format {
                case .text:
                    Output.print(RunView(run: run, lines: lines, exports: exports, files: files, productLimit: productLimit)
                        .render())
                case .json:
                    Output.print(try RunJSON(run: run, lines: lines, exports: exports, files: files, productLimit: productLimit)
                        .render())
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw Failure.exit("\(error)")
            }
        }
    }
}
