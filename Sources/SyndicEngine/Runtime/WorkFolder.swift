import Foundation

/// The worker's folder beside the state (`<state dir>/work`), readable by its owner only:
/// `dry-runs/` keeps the files of dry runs; `runs/<run id>/` is a run's scratch space
/// (private keys written for SFTP, files being built), made when the run starts and removed
/// when it ends, whatever its outcome; what a killed run left is swept when a worker starts.
public struct WorkFolder: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The scratch folder of run `runID`.
    public func scratch(for runID: Int64) -> URL {
        root.appendingPathComponent("runs").appendingPathComponent(String(runID))
    }

    /// Makes the folder (and `runs/`) readable by its owner only, tightening one made before.
    public func prepare() throws {
        for folder in [root, root.appendingPathComponent("runs")] {
            try Self.makePrivate(folder)
        }
    }

    /// Makes the scratch folder of `runID`, private, and returns it.
    @discardableResult
    public func makeScratch(for runID: Int64) throws -> URL {
        try prepare()
        let folder = scratch(for: runID)
        try Self.makePrivate(folder)
        return folder
    }

    /// Removes the scratch folder of `runID` and everything in it.
    public func removeScratch(for runID: Int64) {
        try? FileManager.default.removeItem(at: scratch(for: runID))
    }

    /// Removes the scratch folders of runs not in `running` (runs a killed worker left) and
    /// the temporary files of older versions (`tmp/`); returns how many were removed.
    @discardableResult
    public func sweep(keeping running: Set<Int64>) -> Int {
        var removed = 0
        let runs = root.appendingPathComponent("runs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? [] {
            guard let id = Int64(name), running.contains(id) else {
                if (try? FileManager.default.removeItem(at: runs.appendingPathComponent(name))) != nil { removed += 1 }
                continue
            }
        }
        let legacy = root.appendingPathComponent("tmp")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: legacy.path)) ?? [] {
            if (try? FileManager.default.removeItem(at: legacy.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// Creates `folder` with mode 0700, or sets that mode on an existing one.
    static func makePrivate(_ folder: URL) throws {
        if FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }
}
