import Foundation

/// Configurations and helpers for the runtime's end-to-end tests.
enum RuntimeScenario {
    /// `count` active flat-file channels (`shop_00`…) plus `idle`, an inactive one.
    static func channels(_ count: Int) -> String {
        var text = """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: pim}
            spec: {type: catalog-file, path: catalog.jsonl}
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: outbox}
            spec: {type: local, path: out}

            """
        for index in 0..<count {
            text += channel(String(format: "shop_%02d", index), status: "active")
        }
        text += channel("idle", status: "inactive")
        return text
    }

    private static func channel(_ name: String, status: String) -> String {
        """
        ---
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: \(name)}
        spec:
          type: flat-file
          status: \(status)
          source: {connection: pim}
          products:
            mapping: {sku: {field: identifier}}
            export:
              storage: {connection: outbox, folder: /\(name)}

        """
    }

    /// A workspace with `count` channels applied, to its SQLite state or to `state` (a URL).
    static func applied(_ count: Int, state: String? = nil) throws -> Workspace {
        var workspace = try Workspace()
        if let state { workspace.syndic.environment["SYNDIC_STATE"] = state }
        try workspace.write("channels/all.yaml", channels(count))
        let result = try workspace.syndic.run(["apply"])
        precondition(result.status == 0, "apply failed: \(result.stderr)")
        return workspace
    }

    /// The test worker built next to syndic.
    static let testWorker = SyndicProcess.binary.deletingLastPathComponent().appendingPathComponent("syndic-test-worker")

    /// Starts a test worker process on the workspace's state.
    static func startWorker(_ workspace: Workspace, arguments: [String] = [], environment: [String: String]) throws
        -> (Process, ReadInBackground) {
        let process = Process()
        process.executableURL = testWorker
        let state = workspace.syndic.environment["SYNDIC_STATE"]
            ?? workspace.root.appendingPathComponent(".syndic/state.sqlite").path
        process.arguments = ["--state", state] + arguments
        process.currentDirectoryURL = workspace.root
        process.environment = SyndicProcess.baseEnvironment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, ReadInBackground(err))
    }

    /// Lines of a probe journal.
    static func journal(_ url: URL) -> [[String]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes.
    static func eventually(timeout: TimeInterval = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}
