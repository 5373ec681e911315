import Foundation
import GRDB
import SyndicCore
import Testing
@testable import SyndicEngine
@testable import SyndicStore

/// The work folder: private, a scratch folder per run removed when the run ends, and what
/// killed runs left swept when a worker starts.
@Suite(.serialized)
struct WorkFolderTests {
    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func aRunsScratchFolderIsPrivateAndGoneWhenTheRunEnds() async throws {
        let workspace = try RunExecutorTests.shop()
        let seen = Locked<(URL, Int, Int)?>(nil)
        for outcome in ["succeed", "fail"] {
            let job = TestJob(.productExport) { context in
                let key = context.scratchDirectory.appendingPathComponent("keys/partner_sftp")
                try FileManager.default.createDirectory(at: key.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("-----BEGIN OPENSSH PRIVATE KEY-----\n".utf8).write(to: key)
                seen.update { $0 = (context.scratchDirectory, Self.mode(context.workDirectory.path),
                                    Self.mode(context.scratchDirectory.path)) }
                if outcome == "fail" { throw TestFailure("refused") }
                return JobResult(report: "done")
            }
            let run = try workspace.claim("shop")
            _ = await RunExecutorTests.executor(workspace, [job]).execute(run)
            let (scratch, workMode, scratchMode) = try #require(seen.value)
            #expect(workMode == 0o700)
            #expect(scratchMode == 0o700)
            #expect(scratch.lastPathComponent == String(run.id))
            #expect(!FileManager.default.fileExists(atPath: scratch.path), "\(outcome): the scratch folder stayed")
        }
    }

    @Test func sweepingKeepsOnlyTheRunsStillRunning() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-work-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = WorkFolder(root: root)
        for id in [Int64(3), 7, 9] { try folder.makeScratch(for: id) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        try Data("half a file".utf8).write(to: root.appendingPathComponent("tmp/feed.csv"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("dry-runs/shop"), withIntermediateDirectories: true)

        #expect(folder.sweep(keeping: [7]) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("runs").path) == ["7"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("dry-runs/shop").path), "dry runs are kept")
    }

    @Test func anExistingWorkFolderIsMadePrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-work-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try WorkFolder(root: root).prepare()
        #expect(Self.mode(root.path) == 0o700)
    }
}
