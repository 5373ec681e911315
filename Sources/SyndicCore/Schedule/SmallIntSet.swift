/// A set of small non-negative integers (0...63) stored as a bit mask, with ordered look-ups.
struct SmallIntSet: Hashable, Sendable {
    private(set) var bits: UInt64

    init(bits: UInt64 = 0) {
        self.bits = bits
    }

    /// The set of all values in `range` (which must lie within 0...63).
    init(_ range: ClosedRange<Int>) {
        bits = 0
        for value in range { insert(value) }
    }

    var isEmpty: Bool { bits == 0 }
    var count: Int { bits.nonzeroBitCount }
    var first: Int? { isEmpty ? nil : bits.trailingZeroBitCount }
    var last: Int? { isEmpty ? nil : 63 - bits.leadingZeroBitCount }
    var values: [Int] { (0..<64).filter(contains) }

    func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    mutating func insert(_ value: Int) {
        precondition((0..<64).contains(value), "SmallIntSet holds 0...63")
        bits |= 1 << UInt64(value)
    }

    /// The smallest member greater than or equal to `value`.
    func first(atOrAfter value: Int) -> Int? {
        if value <= 0 { return first }
        if value > 63 { return nil }
        let rest = bits >> UInt64(value)
        return rest == 0 ? nil : value + rest.trailingZeroBitCount
    }

    /// The largest member less than or equal to `value`.
    func last(atOrBefore value: Int) -> Int? {
        if value >= 63 { return last }
        if value < 0 { return nil }
        let kept = bits & ((1 << UInt64(value + 1)) - 1)
        return kept == 0 ? nil : 63 - kept.leadingZeroBitCount
    }
}
