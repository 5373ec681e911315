import ArgumentParser
import SyndicCore
import SyndicStore

/// `syndic history`: which revision changed which field, when, from which commit, by whom.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which apply (time, serial, git commit, user) changed which field.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "A channel name or a resource address (connection.NAME).")
    var resource: String?

    @Option(name: .long, help: "Show at most N revisions.")
    var limit: Int?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try options.openStore()
        let address = resource.map { $0.contains(".") ? $0 : Address.of(.channel, $0) }
        do {
            let entries = try store.history(address: address, limit: limit)
            switch format {
            case .text: Output.print(HistoryView(entries: entries, address: address).render())
            case .json: Output.print(try HistoryJSON(entries: entries, address: address).render())
            }
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
