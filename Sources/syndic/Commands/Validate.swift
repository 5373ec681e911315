import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine

/// `syndic validate`: checks every file and prints every problem.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration and list every problem as file:line:column.",
        discussion: "Exit 0 when there is no error (warnings allowed), 1 otherwise.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let loaded: Reconciler.Loaded
        do {
            // Validation needs no state: an existing one speeds it up with its parse cache and
            // adds the marketplace requirements the last requirements syncs stored.
            let directory = ConfigDirectory(path: options.dir)
            let store = try options.stateLocation().mayExist ? try options.openStore() : nil
            let cache = try store?.loadParseCache(displayPath: directory.displayPath) ?? [:]
            loaded = try Reconciler.load(directory, cache: cache, secrets: SecretResolver(),
                                         requirements: try store?.requirements() ?? [:])
        } catch {
            throw Failure.exit("\(error)")
        }
        let diagnostics = loaded.validated.diagnostics
        for diagnostic in diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let resources = loaded.validated.resources.count
        if errors > 0 {
            Output.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        Output.print("\(loaded.files.count) file\(loaded.files.count == 1 ? "" : "s"), \(resources) resource\(resources == 1 ? "" : "s"): valid\(warnings > 0 ? " with \(warnings) warning\(warnings == 1 ? "" : "s")" : "")")
    }
}
