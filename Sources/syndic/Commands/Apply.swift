import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// `syndic apply`: makes the state match the configuration, in one transaction.
struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the configuration (or a saved plan) to the state.",
        discussion: """
            Channel deletes need --confirm-delete NAME; without it nothing is applied and the \
            exit status is 1. A saved plan is refused when the state, the configuration or a \
            secret changed since it was made.
            """)

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Selection") var selection: SelectionOptions

    @Argument(help: "A plan saved with `syndic plan --out FILE`.")
    var planFile: String?

    @Option(name: .long, help: "Confirm the deletion of this channel and all its data (repeatable).")
    var confirmDelete: [String] = []

    @Option(name: .long, help: "Seconds to wait for another apply to finish (default 0: fail at once).")
    var lockTimeout: Double = 0

    func validate() throws {
        if planFile != nil && !selection.selection.isEverything {
            throw ValidationError("a saved plan applies the selection it was made with: "
                                  + "give --target, --exclude and --selector to `syndic plan`, not with a plan file")
        }
    }

    func run() throws {
        let (store, lock) = try options.openLockedStore(timeout: lockTimeout, holder: "syndic apply by \(CommandUser.current())")
        defer { withExtendedLifetime(lock) {} }
        let reconciler = options.reconciler(store: store)
        do {
            // A saved plan applies the selection it was made with, and only that.
            var saved: PlanDocument?
            if let planFile {
                let data = try Data(contentsOf: URL(fileURLWithPath: planFile))
                saved = try PlanDocument.read(from: data, path: planFile)
            }
            let planned = try reconciler.plan(selection: saved?.partial?.selection ?? selection.selection)
            if let saved, let reason = saved.staleness(against: planned) { throw StalePlan(reason: reason) }
            let unknown = Set(confirmDelete).subtracting(planned.plan.deletedChannels).sorted()
            for name in unknown { Output.error("warning: --confirm-delete \(name): the plan does not delete channel \(name)") }
            guard planned.plan.hasChanges else {
                for diagnostic in planned.plan.diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
                _ = try reconciler.apply(planned, confirmedDeletes: Set(confirmDelete), user: CommandUser.current())
                Output.print(planned.plan.partial == nil
                             ? "No changes. The state matches the configuration (serial \(planned.serial))."
                             : "No changes in the selection (serial \(planned.serial)).")
                return
            }
            Output.print(PlanTextView(plan: planned.plan, serial: planned.serial, style: .terminal).render())
            let serial = try reconciler.apply(planned, confirmedDeletes: Set(confirmDelete), user: CommandUser.current())
            let count = planned.plan.changes.count
            Output.print("Apply complete: \(count) change\(count == 1 ? "" : "s") committed, serial \(planned.serial) -> \(serial).")
        } catch let failure as ValidationFailed {
            for diagnostic in failure.diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
            throw Failure.exit("\(failure)")
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
