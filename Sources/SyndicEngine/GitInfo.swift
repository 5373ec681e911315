import Foundation

/// What git says about the configuration directory, when it sits in a work tree.
public struct GitInfo: Sendable, Hashable, Codable {
    /// The HEAD commit.
    public var commit: String
    /// Whether the configuration directory has uncommitted changes.
    public var dirty: Bool

    /// `abc1234` or `abc1234+dirty`, as history shows it.
    public var display: String { String(commit.prefix(12)) + (dirty ? "+dirty" : "") }

    /// Reads HEAD and the dirty flag of `directory`; nil outside a git work tree or without git.
    public static func of(directory: String) -> GitInfo? {
        guard let commit = run(["-C", directory, "rev-parse", "HEAD"]), !commit.isEmpty else { return nil }
        let status = run(["-C", directory, "status", "--porcelain", "--", "."]) ?? ""
        return GitInfo(commit: commit, dirty: !status.isEmpty)
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
