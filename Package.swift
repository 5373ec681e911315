// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "syndic",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "syndic", targets: ["syndic"]),
        .executable(name: "syndic-bench", targets: ["SyndicBenchmarks"]),
        // libFuzzer targets (scripts/fuzz, docs/fuzzing.md); built normally they replay inputs.
        .executable(name: "fuzz", targets: ["Fuzzers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The Orders API server; without its default traits (no swift-configuration).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // The shared state on PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The web console's templates.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // SHA-256 and HMAC.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Metrics (swift-metrics) exposed as Prometheus text (swift-prometheus).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure core: configuration model, validation, schedules, mapping grammar, planner.
        .target(name: "SyndicCore", dependencies: [.product(name: "Yams", package: "Yams"),
                                                   .product(name: "Crypto", package: "swift-crypto")]),
        // SQLite's process-wide settings, made before it initializes (sqlite3_config is variadic).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // State store: GRDB over SQLite, postgres-nio over PostgreSQL.
        .target(name: "SyndicStore", dependencies: [
            "SyndicCore", "CSQLiteSetup", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
        ]),
        // libcurl, as a system library (libcurl4-openssl-dev).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // The one transfer layer: HTTP(S) and file/FTP(S)/SFTP storage through libcurl.
        .target(name: "SyndicTransfer", dependencies: ["CCurl"]),
        // The process log: swift-log with a text and a JSON handler, secrets taken out.
        .target(name: "SyndicLogging", dependencies: ["SyndicCore", .product(name: "Logging", package: "swift-log")]),
        // Engine: reading the configuration directory, secrets, applying plans.
        .target(name: "SyndicEngine", dependencies: [
            "SyndicCore", "SyndicLogging", .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // The data flows: product sources and destinations, the jobs the worker runs.
        .target(name: "SyndicFlows", dependencies: [
            "SyndicCore", "SyndicEngine", "SyndicTransfer", .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // The Orders API and the web console (Hummingbird, Mustache templates) over the state store.
        .target(name: "SyndicServer", dependencies: [
            "SyndicCore", "SyndicLogging", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], resources: [.copy("openapi.yaml"), .copy("Console/Templates"), .copy("Console/Assets")]),
        // The thin command-line executable.
        .executableTarget(name: "syndic", dependencies: [
            "SyndicCore", "SyndicStore", "SyndicEngine", "SyndicFlows", "SyndicServer", "SyndicLogging",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "SyndicBenchmarks", dependencies: [
            "SyndicCore", "SyndicStore", "SyndicEngine", "SyndicFlows", "SyndicServer", "SyndicTransfer",
            "SyndicTestSupport",
        ], path: "Benchmarks/SyndicBenchmarks"),
        // A worker binary with probe jobs that live in the tests, for multi-process tests of
        // the runtime (nothing shipped pretends to be a flow).
        .executableTarget(name: "syndic-test-worker", dependencies: ["SyndicEngine", "SyndicStore", "SyndicCore", "SyndicLogging",
                                                                   .product(name: "Logging", package: "swift-log")],
                          path: "Tests/TestWorker"),
        // Fuzz targets over the core's parsers of untrusted input: LLVMFuzzerTestOneInput for
        // libFuzzer (built with -sanitize=fuzzer -DFUZZING), a replaying main otherwise.
        .executableTarget(name: "Fuzzers", dependencies: ["SyndicCore"], path: "Fuzz/Fuzzers"),
        .testTarget(name: "SyndicCoreTests", dependencies: ["SyndicCore", "SyndicTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "SyndicStoreTests", dependencies: ["SyndicStore", "SyndicCore", "CSQLiteSetup", "SyndicTestSupport"]),
        .testTarget(name: "SyndicTransferTests", dependencies: ["SyndicTransfer", "SyndicTestSupport"], exclude: ["Support/Scripts"]),
        .testTarget(name: "SyndicLoggingTests", dependencies: [
            "SyndicLogging", "SyndicCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SyndicEngineTests", dependencies: [
            "SyndicEngine", "SyndicStore", "SyndicCore", "SyndicLogging", .product(name: "Logging", package: "swift-log"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        // Test support shared by integration tests: local servers (the simulators), their control routes.
        .target(name: "SyndicTestSupport", dependencies: ["SyndicCore", "SyndicTransfer"], path: "Tests/SyndicTestSupport"),
        .testTarget(name: "SyndicFlowsTests", dependencies: ["SyndicFlows", "SyndicEngine", "SyndicStore", "SyndicCore",
                                                              "SyndicTransfer", "SyndicTestSupport",
                                                              .product(name: "MetricsTestKit", package: "swift-metrics")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SyndicServerTests", dependencies: ["SyndicServer", "SyndicStore", "SyndicCore", "SyndicTransfer", "SyndicTestSupport",
                                                               .product(name: "Prometheus", package: "swift-prometheus"),
                                                               .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "SyndicCLITests", dependencies: ["syndic", "syndic-test-worker", "SyndicTransfer", "SyndicTestSupport"], exclude: ["Fixtures", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
