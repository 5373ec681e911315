import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine

/// `syndic diff REF1 REF2`: what a merge would change, from git alone.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what the configuration at REF2 changes compared with REF1 (no state needed).",
        discussion: """
            Both refs are read with git; the work tree and the state are not touched. Secrets are \
            not read, so rotations are not shown. Exit 0 (or, with --detailed-exitcode, 0 no \
            changes, 2 changes); 1 on an error at either ref.
            """)

    @Option(name: .long, help: "The configuration directory (inside a git work tree).")
    var dir: String = "channels"

    @OptionGroup(title: "Selection") var selection: SelectionOptions

    @Argument(help: "The base ref (e.g. main).")
    var base: String

    @Argument(help: "The ref to compare (e.g. a branch).")
    var head: String

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Exit 2 when there are changes.")
    var detailedExitcode = false

    func run() throws {
        let now = CommandClock.now()
        let plan: Plan, refs: PlanDocument.DiffRefs
        do {
            plan = try ConfigDiff.plan(directory: dir, base: base, head: head, now: now, selection: selection.selection)
            refs = try PlanDocument.DiffRefs.resolve(base: base, head: head, directory: dir)
        } catch let failure as ValidationFailed {
            for diagnostic in failure.diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
            throw Failure.exit("\(failure)")
        } catch {
            throw Failure.exit("\(error)")
        }
        switch format {
        case .text: Output.print("\(base)..\(head)\n" + PlanTextView(plan: plan, serial: 0, style: .terminal).render())
        case .markdown: Output.print(PlanMarkdownView(plan: plan, serial: 0, gitCommit: "\(base)..\(head)").render())
        case .json:
            let document = PlanDocument(diff: plan, refs: refs, generatedAt: now)
            Output.print(String(decoding: try document.encoded(), as: UTF8.self))
        }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}
