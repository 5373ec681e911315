import Foundation
import SyndicCore
import SyndicEngine
import SyndicStore

/// A temporary configuration directory and state database for engine tests.
final class EngineWorkspace {
    let root: String
    let channels: String
    let store: SQLiteStateStore

    /// Friday 2026-03-27 12:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_774_612_800)

    static let connections = """
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: catalog}
        spec: {type: catalog-file, path: ../catalog/products.jsonl}
        ---
        apiVersion: syndic/v1
        kind: Connection
        metadata: {name: outbox}
        spec: {type: local, path: ../out}

        """

    static func mirakl(endpoint: String = "https://mirakl.example/api", schedule: String = "02:30") -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: mirakl_fr
          labels: {team: emea}
        spec:
          type: mirakl
          status: active
          timezone: Europe/Paris
          endpoint: \(endpoint)
          credentials: {apiKey: {env: MIRAKL_FR_KEY}}
          source: {connection: catalog, scope: ecommerce, locales: [fr_FR]}
          products:
            mapping: {title: name~fr_FR, price: price@EUR}
            export:
              schedule: {at: "\(schedule)"}
              delta: true

        """
    }

    static let feed = """
        apiVersion: syndic/v1
        kind: Channel
        metadata: {name: feed}
        spec:
          type: flat-file
          source: {connection: catalog}
          products:
            export:
              storage: {connection: outbox, folder: /feed}

        """

    static let environment = ["MIRAKL_FR_KEY": "mirakl-key-value-1"]

    init(files: [String: String] = ["connections.yaml": EngineWorkspace.connections,
                                    "mirakl_fr.yaml": EngineWorkspace.mirakl(),
                                    "feed.yaml": EngineWorkspace.feed]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-engine-\(UUID().uuidString)").path
        channels = root + "/channels"
        try FileManager.default.createDirectory(atPath: channels, withIntermediateDirectories: true)
        store = try SQLiteStateStore(path: root + "/.syndic/state.sqlite")
        for (name, text) in files { try write(name, text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `channels/<name>`, creating folders.
    func write(_ name: String, _ text: String) throws {
        let path = channels + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: channels + "/" + name)
    }

    func reconciler(environment: [String: String] = EngineWorkspace.environment,
                    now: Date = EngineWorkspace.now) -> Reconciler {
        Reconciler(directory: ConfigDirectory(path: channels), store: store,
                   secrets: SecretResolver(environment: environment), now: now)
    }

    /// Plans and applies, confirming the given deletes; returns the new serial.
    @discardableResult
    func apply(environment: [String: String] = EngineWorkspace.environment, confirming: Set<String> = []) throws -> Int {
        let reconciler = reconciler(environment: environment)
        return try reconciler.apply(try reconciler.plan(), confirmedDeletes: confirming, user: "test")
    }
}
