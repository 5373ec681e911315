import ArgumentParser
import Foundation
import SyndicCore
import SyndicStore

/// `syndic suspend`: an operator's emergency stop, outside git.
struct Suspend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a channel now, outside git. Plans show it; apply does not undo it.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The channel to suspend.")
    var channel: String

    @Option(name: .long, help: "Why (recorded in history and shown by plan and status).")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason must not be empty")
        }
    }

    func run() throws {
        let store = try options.openStore()
        do {
            let serial = try store.suspend(channel: channel, reason: reason, by: CommandUser.current(), at: CommandClock.now())
            Output.print("Suspended channel \(channel) (serial \(serial)). Lift it with: syndic resume \(channel)")
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}

/// `syndic resume`: lifts a suspension.
struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lift a channel's suspension.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The channel to resume.")
    var channel: String

    func run() throws {
        let store = try options.openStore()
        do {
            let serial = try store.resume(channel: channel, by: CommandUser.current(), at: CommandClock.now())
            Output.print("Resumed channel \(channel) (serial \(serial)).")
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}
