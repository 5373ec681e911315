import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine

/// `syndic plan`: shows what apply would change.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the changes that would make the state match the configuration.",
        discussion: "Exit 0 on success; with --detailed-exitcode: 0 no changes, 2 changes, 1 error.")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(name: .long, help: "Save the plan (JSON) to FILE for `syndic apply FILE`.")
    var out: String?

    func run() throws {
        let store = try options.openStore()
        let planned: Reconciler.Planned
        do {
            planned = try options.reconciler(store: store).plan()
        } catch let failure as ValidationFailed {
            for diagnostic in failure.diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
            throw Failure.exit("\(failure)")
        } catch {
            throw Failure.exit("\(error)")
        }
        let document = PlanDocument(planned, generatedAt: Clock.now())
        if let out {
            do {
                try document.encoded().write(to: URL(fileURLWithPath: out))
            } catch {
                throw Failure.exit("cannot write the plan to \(out): \(error.localizedDescription)")
            }
        }
        switch format {
        case .text:
            Output.print(PlanTextView(plan: planned.plan, serial: planned.serial, style: .terminal).render())
            if let out { Output.print("Saved the plan to \(out). Apply it with: syndic apply \(out)") }
        case .json:
            Output.print(String(decoding: try document.encoded(), as: UTF8.self))
        case .markdown:
            Output.print(PlanMarkdownView(plan: planned.plan, serial: planned.serial, gitCommit: planned.git?.display).render())
        }
        if detailedExitcode && planned.plan.hasChanges { throw ExitCode(2) }
    }
}

/// Plan output formats.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
