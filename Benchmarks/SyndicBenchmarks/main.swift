import Foundation

/// syndic-bench: the project's benchmarks (build with -c release).
///   syndic-bench reconcile [CHANNELS]   validate, plan, apply, no-op plan
///   syndic-bench runtime [CHANNELS]     due-job computation per tick, claims per second
///   syndic-bench export [PRODUCTS] [--shape full|small|both]
///                                       full and delta product export vs python3, per catalog shape
///                                       (default both; run from the repository root, after building
///                                       the syndic product)
///   syndic-bench akeneo [PRODUCTS]      full read from the Akeneo simulator (50 ms a page): 4 readers
///                                       vs one cursor (run from the repository root, like export)
///   syndic-bench akeneo-delta [PRODUCTS] delta export after 1% updated in the Akeneo simulator: the
///                                       updated-since read vs a full scan (default 20,000 products)
///   syndic-bench orders [ORDERS]        order retrieval, order export, shipment import (run from the
///                                       repository root, like export)
///   syndic-bench amazon [ORDERS]        Amazon order retrieval beside the least time the usage plans
///                                       allow, items-bound and getOrders-bound (run from the
///                                       repository root, like export; default 1,000 orders)
///   syndic-bench api [ORDERS]           Orders API list and detail under load; the default page
///                                       twice, beside the same page built by the store alone
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
case "export": try ExportBenchmark.run(arguments: Array(arguments.dropFirst()))
case "akeneo": try AkeneoBenchmark.run(products: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "akeneo-delta": try AkeneoDeltaBenchmark.run(products: arguments.dropFirst().first.flatMap(Int.init) ?? 20_000)
case "orders": try OrdersBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "amazon": try AmazonBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 1_000)
case "api": try await APIBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "console": try await ConsoleBenchmark.run(orders: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
default:
    say("usage: syndic-bench reconcile|runtime [CHANNELS] | export [PRODUCTS] [--shape full|small|both] "
        + "| akeneo [PRODUCTS] | akeneo-delta [PRODUCTS] | orders [ORDERS] | amazon [ORDERS] | api [ORDERS] | state [CHANNELS] [RUNS] | console [ORDERS]")
    exit(64)
}
