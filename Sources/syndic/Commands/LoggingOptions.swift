import ArgumentParser
import Foundation
import Logging
import SyndicLogging

/// `--log-format` and `--log-level` of the long-running commands (`worker`, `reconcile`,
/// `serve`), with `SYNDIC_LOG_FORMAT` and `SYNDIC_LOG_LEVEL` as their defaults.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Log lines as text or json (one object per line; default: $SYNDIC_LOG_FORMAT or text).",
        valueName: "format"))
    var logFormat: LogFormat?

    @Option(name: .long, help: ArgumentHelp(
        "The least level logged: trace, debug, info, notice, warning, error or critical "
            + "(default: $SYNDIC_LOG_LEVEL or info).",
        valueName: "level"))
    var logLevel: Logger.Level?

    /// Sets the process's logging up and returns the command's logger; a bad variable fails
    /// the command with its reason.
    func bootstrap(label: String) throws -> Logger {
        let environment = ProcessInfo.processInfo.environment
        do {
            let format = try LogFormat.resolve(option: logFormat, environment: environment)
            let level = try ProcessLogging.level(option: logLevel, environment: environment)
            return ProcessLogging.bootstrap(format: format, level: level, label: label)
        } catch {
            throw Failure.exit("\(error)")
        }
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
