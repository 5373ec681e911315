import ArgumentParser
import SyndicCore

/// `--target`, `--exclude` and `--selector`: the resources a plan covers.
struct SelectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Plan only this resource and what it needs: channel.NAME, connection.NAME or notification.NAME (repeatable).",
        valueName: "address"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Leave this resource out of the plan (repeatable).", valueName: "address"))
    var exclude: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Plan only resources whose labels match: key=value, key!=value, key or !key; commas join requirements (repeatable).",
        valueName: "labels"))
    var selector: [String] = []

    /// The selection the options describe.
    var selection: PlanSelection { PlanSelection(targets: target, excludes: exclude, selectors: selector) }

    func validate() throws {
        do {
            try selection.checkAddresses()
            _ = try selection.requirements()
        } catch {
            throw ValidationError(error.message)
        }
    }
}
