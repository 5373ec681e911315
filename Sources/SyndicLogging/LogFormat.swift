import Foundation

/// How the long-running commands (`worker`, `reconcile`, `serve`) write their log lines:
/// `text` for people, one JSON object per line for a log pipeline.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json

    /// The environment variable that chooses the format when no option does.
    public static let environmentVariable = "SYNDIC_LOG_FORMAT"

    /// The format an option names, else `SYNDIC_LOG_FORMAT`, else text. An unknown value
    /// in the environment is an error that names the variable.
    public static func resolve(option: LogFormat?, environment: [String: String]) throws -> LogFormat {
        if let option { return option }
        guard let value = environment[environmentVariable], !value.isEmpty else { return .text }
        guard let format = LogFormat(rawValue: value.lowercased()) else {
            throw LogSetupError(message: "\(environmentVariable)=\(value) is not a log format: use text or json")
        }
        return format
    }
}

/// A log option or variable that cannot be used.
public struct LogSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
