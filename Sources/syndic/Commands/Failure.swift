import ArgumentParser
import Foundation
import SyndicCore

/// Prints an error to standard error and exits with status 1.
enum Failure {
    static func exit(_ message: String) -> ExitCode {
        Output.error("error: \(message)")
        return ExitCode(1)
    }
}

/// Writing to standard output and standard error.
enum Output {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` to standard error, made safe for a terminal (errors quote marketplaces,
    /// servers and files: their control characters show as U+FFFD instead of acting).
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.safe(text) + "\n").utf8))
    }
}
