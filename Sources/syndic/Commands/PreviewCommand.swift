import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicFlows

/// `syndic preview CHANNEL`: the first mapped products, from the configuration as written.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show the first mapped products of a channel, as its configuration files describe it.",
        discussion: """
            Reads the configuration directory (not the state), so a mapping or filter can be \
            checked before it is applied. Reads the channel's source from the start until N \
            products are mapped; sends nothing and records nothing. Exit 1 when the \
            configuration has errors, the channel is unknown or the source cannot be read.
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The channel.")
    var channel: String

    @Option(name: .long, help: "How many mapped products to show.")
    var limit: Int = 10

    @Option(name: .long, help: "Output format: table or json.")
    var format: Format = .table

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let loaded: Reconciler.Loaded
        do {
            loaded = try Reconciler.load(ConfigDirectory(path: options.dir), cache: [:], secrets: SecretResolver())
        } catch {
            throw Failure.exit("\(error)")
        }
        if loaded.validated.hasErrors {
            for diagnostic in loaded.validated.diagnostics where diagnostic.severity == .error {
                Output.error(DiagnosticsView.render(diagnostic))
            }
            throw ExitCode(1)
        }
        let resources = loaded.validated.resources.map { resource in
            AppliedResource(kind: resource.kind, name: resource.name, type: resource.type, specJSON: resource.specJSON,
                            labelsJSON: resource.labelsJSON, sourceFile: resource.file)
        }
        guard let channelResource = resources.first(where: { $0.kind == .channel && $0.name == channel }) else {
            throw Failure.exit("no channel named \(channel) in \(options.dir)")
        }
        do {
            let preview = try ProductPreview.make(channel: channelResource, connections: resources.filter { $0.kind == .connection },
                                                  baseDirectory: FileManager.default.currentDirectoryPath,
                                                  workDirectory: options.workDirectory, limit: limit)
            Output.print(format == .json ? PreviewView(preview: preview).json() : PreviewView(preview: preview).table())
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
