import Foundation

/// Runs git, for the configuration directory's work tree and its history.
enum Git {
    /// Errors from git, with its own message.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `git -C directory arguments…`, feeding `input`; returns standard output.
    static func run(_ arguments: [String], in directory: String, input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch {
            throw Failure(description: "cannot run git: \(error.localizedDescription)")
        }
        if let input {
            // Feed and drain concurrently so that neither pipe fills up.
            Thread.detachNewThread {
                stdin.fileHandleForWriting.write(input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        let errorData = LockedData()
        Thread.detachNewThread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "git \(arguments.prefix(2).joined(separator: " ")): \(message)")
        }
        return data
    }

    /// `run` as trimmed text.
    static func text(_ arguments: [String], in directory: String) throws -> String {
        String(decoding: try run(arguments, in: directory), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Data filled in by another thread.
    final class LockedData: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        func set(_ value: Data) {
            data = value
            done.signal()
        }
        func wait() -> Data {
            done.wait()
            return data
        }
    }
}
