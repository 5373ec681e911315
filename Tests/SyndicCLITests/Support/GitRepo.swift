import Foundation
import Testing

/// Runs git in a test workspace.
enum GitRepo {
    /// `git args…` in `directory`; records an issue when git fails.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Tester", "-c", "user.email=tester@example.com"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes the workspace a repository with `.syndic/` and plan files ignored.
    static func initialize(_ workspace: Workspace) throws {
        try workspace.write(".gitignore", ".syndic/\nplan.json\nplan-comments/\nsecrets/\n")
        try git(["init", "-q", "-b", "main"], in: workspace.root)
    }

    /// Commits everything; returns the new HEAD.
    @discardableResult
    static func commitAll(_ workspace: Workspace, _ message: String) throws -> String {
        try git(["add", "-A"], in: workspace.root)
        try git(["commit", "-q", "-m", message], in: workspace.root)
        return try git(["rev-parse", "HEAD"], in: workspace.root)
    }
}
