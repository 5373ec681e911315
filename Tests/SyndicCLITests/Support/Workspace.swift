import Foundation

/// A scratch directory holding a copy of a fixture configuration and a state file.
struct Workspace {
    let root: URL
    var syndic: SyndicProcess

    /// The folder holding this test target's sources.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        syndic = SyndicProcess(workingDirectory: root)
    }

    /// Replaces `channels/` with the fixture's `channels/` (and copies its other files).
    func use(fixture name: String) throws {
        let source = Workspace.testsDirectory.appendingPathComponent("Fixtures/\(name)")
        let target = root.appendingPathComponent("channels")
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source.appendingPathComponent("channels"), to: target)
    }

    /// Writes a file under the workspace.
    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every byte of the state database and its WAL.
    func stateBytes() throws -> Data {
        var data = Data()
        let directory = root.appendingPathComponent(".syndic")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name != "work" {
            data += try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return data
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
