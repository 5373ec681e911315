import ArgumentParser
import Foundation

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

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
