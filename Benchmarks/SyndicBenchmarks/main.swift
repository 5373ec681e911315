import Foundation

/// syndic-bench: the project's benchmarks (build with -c release).
///   syndic-bench reconcile [CHANNELS]   validate, plan, apply, no-op plan
///   syndic-bench runtime [CHANNELS]     due-job computation per tick, claims per second
///   syndic-bench export [PRODUCTS]      full and delta product export vs python3 (run from the
///                                       repository root, after building the syndic product)
///   syndic-bench orders [ORDERS]        order retrieval, order export, shipment import (run from the
///                                       repository root, like export)
///   syndic-bench api [ORDERS]           Orders API list and detail under load
///   syndic-bench state [CHANNELS] [RUNS] plan/apply on SQLite and PostgreSQL, claims/s on PostgreSQL
///                                       with 1, 2 and 4 workers (needs PostgreSQL installed)
///   syndic-bench console [ORDERS]       the web console's orders page, filtered and sorted: p50/p99
///                                       beside the same query straight from the store

/// Prints a line at once (standard output is a pipe in CI).
func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

/// Runs `body` and prints how long it took.
func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    say(label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds))
    return result
}

let arguments = Array(CommandLine.arguments.dropFirst())
let count = arguments.dropFirst().first.flatMap(Int.init) ?? 10_000
switch arguments.first {
case "reconcile": try ReconcileBenchmark.run(count: count)
case "runtime": try RuntimeBenchmark.run(channels: count)
case "claimer" where arguments.count >= 4:
    try StateBenchmark.claimer(state: arguments[1], now: Date(timeIntervalSince1970: Double(arguments[2]) ?? 0),
                               waitURL: arguments[3])
case "claimer": try RuntimeBenchmark.claimer(statePath: arguments[1])
case "state": try StateBenchmark.run(channels: count, claimRuns: arguments.dropFirst(2).first.flatMap(Int.init) ?? 600)
case "export": try ExportBenchmark.run(products: arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000)
case "orders": try OrdersBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "api": try await APIBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "console": try await ConsoleBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
default:
    say("usage: syndic-bench reconcile|runtime [CHANNELS] | export [PRODUCTS] | orders [ORDERS] | api [ORDERS] "
        + "| state [CHANNELS] [RUNS] | console [ORDERS]")
    exit(64)
}
