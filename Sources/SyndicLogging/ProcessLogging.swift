import Foundation
import Logging

/// The log of a long-running command: swift-log with syndic's text or JSON handler on
/// standard error, at a level.
public enum ProcessLogging {
    /// The environment variable that sets the level when no option does.
    public static let levelVariable = "SYNDIC_LOG_LEVEL"

    /// A handler of `format` at `level` writing to `sink`.
    public static func handler(format: LogFormat, level: Logger.Level, sink: LogSink = .standardError) -> any LogHandler {
        LineLogHandler(format: format, level: level, sink: sink)
    }

    /// The level an option names, else `SYNDIC_LOG_LEVEL`, else info.
    public static func level(option: Logger.Level?, environment: [String: String]) throws -> Logger.Level {
        if let option { return option }
        guard let value = environment[levelVariable], !value.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: value.lowercased()) else {
            throw LogSetupError(message: "\(levelVariable)=\(value) is not a log level: use "
                                    + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }

    /// Sets the process's logging up once (libraries' loggers included, such as the HTTP
    /// server's) and returns the command's logger, labelled `label`.
    public static func bootstrap(format: LogFormat, level: Logger.Level, label: String) -> Logger {
        LoggingSystem.bootstrap { _ in handler(format: format, level: level) }
        return Logger(label: label)
    }
}
