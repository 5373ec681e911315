import Foundation

/// Generates realistic channel files for benchmarks: about 30 lines each.
enum BenchmarkFixtures {
    /// Writes `channels` channel files plus their connections; returns the bytes written.
    /// `allJobs` adds a requirements sync, an order export and a shipment import to each
    /// channel (6 scheduled jobs instead of 3; the runtime benchmark uses it).
    static func write(channels: Int, into directory: String, allJobs: Bool = false) -> Int {
        var total = 0
        let connections = """
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
        total += connections.utf8.count
        FileManager.default.createFile(atPath: directory + "/connections.yaml", contents: Data(connections.utf8))
        for index in 0..<channels {
            let name = String(format: "channel_%05d", index)
            let text = """
                apiVersion: syndic/v1
                kind: Channel
                metadata:
                  name: \(name)
                  labels: {team: emea, tier: "\(index % 3)"}
                spec:
                  type: mirakl
                  status: \(index % 2 == 0 ? "active" : "inactive")
                  timezone: Europe/Paris
                  endpoint: https://marketplace-\(index % 50).example.com
                  credentials:
                    apiKey: {env: BENCH_MIRAKL_KEY}
                  source: {connection: pim, scope: ecommerce, locales: [fr_FR, en_GB]}
                  products:
                    filter:
                      enabled: true
                      families: [shoes, bags]
                      categories: {in: [summer], notIn: [archived]}
                      completeness: {scope: ecommerce, min: 100}
                    mapping:
                      title: name~fr_FR
                      description: description~fr_FR~ecommerce
                      price: price@EUR
                      weight: weight@unit
                      brand: {attribute: brand}
                    export:
                      schedule: {at: "0\(index % 6):30"}
                      delta: true
                      batchSize: 500
                \(allJobs ? extraJobs(name) : "")  orders:
                    retrieval: true
                    confirmations: true
                \(allJobs ? orderJobs(name) : "")  logs: {minimal: false, retainDays: 30}

                """
            total += text.utf8.count
            let folder = directory + "/team_\(index % 20)"
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: "\(folder)/\(name).yaml", contents: Data(text.utf8))
        }
        return total
    }

    private static func extraJobs(_ name: String) -> String {
        """
            requirementsSync:
              schedule: {at: "01:00", days: [sun]}

        """
    }

    private static func orderJobs(_ name: String) -> String {
        """
            export:
              schedule: {every: 15m}
              storage: {connection: outbox, folder: /orders/\(name)}
            shipmentImport:
              schedule: {every: 30m}
              storage: {connection: outbox, folder: /shipments/\(name)}
              settleSeconds: 0

        """
    }
}
