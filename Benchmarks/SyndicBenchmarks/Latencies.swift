/// Measured latencies in nanoseconds, sorted once, read as percentiles in milliseconds.
struct Latencies {
    let sorted: [UInt64]

    init(_ nanoseconds: [UInt64]) { sorted = nanoseconds.sorted() }

    var count: Int { sorted.count }

    /// The latency at fraction `p` (0.5: the median, 1: the maximum), in ms; 0 when empty.
    func percentile(_ p: Double) -> Double {
        sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
    }
}
