import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicFlows
import SyndicStore
#if canImport(Glibc)
import Glibc
#endif

/// `syndic run`: queues a job of a channel now.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Queue a job of a channel now (with --wait: run it here and print its report).",
        discussion: """
            Allowed while a schedule is on. Refused on an inactive or suspended channel, except \
            a dry-run export (--dry-run, product-export only), which sends nothing. Exit 0 when \
            queued (or, with --wait, when the run succeeded); 3 with --wait when the export \
            guard held the run (nothing sent; --force sends it once); 1 otherwise.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The channel.")
    var channel: String

    @Argument(help: "The job: \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var job: JobKind

    @Flag(name: .long, help: "Build the export and its report, send nothing, move no watermark.")
    var dryRun = false

    @Flag(name: .long, help: "Force a full export even when delta export is on.")
    var full = false

    @Flag(name: .long, help: "product-export only: send it even if the channel's export guard would hold it (this run only).")
    var force = false

    @Flag(name: .long, help: "Run it in this process and print the report.")
    var wait = false

    func run() async throws {
        let store = try options.openStore()
        let runs = ManualRuns(store: store, registry: .shipped)
        let queued: RunInfo
        do {
            queued = try runs.enqueue(channel: channel, job: job, dryRun: dryRun, full: full, force: force,
                                      now: CommandClock.now())
        } catch {
            throw Failure.exit("\(error)")
        }
        let flags = ([dryRun ? "dry run" : full ? "full" : nil, force ? "forced" : nil] as [String?]).compactMap { $0 }
        let shown = flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"
        Output.print("Queued run \(queued.id): \(channel) \(job.rawValue)\(shown).")
        guard wait else { return }
        // On a terminal only: the job's progress, one line redrawn in place on standard error.
        let progressLine = ProgressLine()
        do {
            let finished: RunInfo
            do {
                finished = try await runs.runToCompletion(queued, workDirectory: options.workDirectory) { run, update in
                    progressLine.update(run, update)
                }
            } catch {
                progressLine.finish()
                throw error
            }
            progressLine.finish()
            guard let (info, lines) = try store.run(id: finished.id) else { throw QueueError.unknownRun(finished.id) }
            Output.print(RunView(run: info, lines: lines, exports: try store.productExports(runID: info.id),
                                 files: try store.artifacts(runID: info.id)).render())
            // A held export is not a success, nor a failure to retry: it has a code of its own.
            if info.status == .held { throw ExitCode(3) }
            if info.status != .succeeded { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}

extension JobKind: ExpressibleByArgument {}
extension RunStatus: ExpressibleByArgument {}
