import Foundation

/// Runs the built `syndic` binary the way a user does, in a scratch working directory.
struct SyndicProcess {
    /// The outcome of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `syndic` executable built next to the test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SYNDIC_BINARY"] { return URL(fileURLWithPath: path) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("syndic")
    }()

    /// Pins the clock and the user so outputs are reproducible.
    static let baseEnvironment: [String: String] = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "SYNDIC_NOW": "2026-03-28T12:00:00Z",
        "SYNDIC_USER": "tester",
        "NO_COLOR": "1",
    ]

    let workingDirectory: URL
    var environment: [String: String] = SyndicProcess.baseEnvironment

    /// Starts syndic without waiting; the caller reads the pipes and waits.
    func start(_ arguments: [String], extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = SyndicProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        process.environment = environment.merging(extra) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Runs syndic to completion.
    func run(_ arguments: [String], extra: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, extra: extra)
        let errData = ReadInBackground(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.wait(), as: UTF8.self))
    }
}

/// Drains a pipe on another thread so a chatty child never blocks.
final class ReadInBackground: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
