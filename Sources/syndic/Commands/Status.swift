import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// `syndic status`: what the state says about the channels.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show channel status, suspension, credentials and next fire times.",
        discussion: "Exit 1 when CHANNEL is not in the state.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "One channel (default: all).")
    var channel: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let store = try options.openStore()
        do {
            let reports = try ChannelStatusReport.build(store: store, channel: channel, now: CommandClock.now())
            let serial = try store.currentSerial()
            switch format {
            case .text: Output.print(StatusView(reports: reports, serial: serial, detailed: channel != nil).render())
            case .json: Output.print(try StatusJSON(reports: reports, serial: serial).render())
            }
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
