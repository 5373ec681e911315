import Foundation

/// Data-parallel helpers over the machine's cores.
enum Parallel {
    /// `items.map(transform)`, computed concurrently; results keep the input order.
    static func map<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let slots = Slots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots.set(index, transform(items[index]))
        }
        return slots.values()
    }

    /// Result storage written at distinct indices by concurrent iterations.
    private final class Slots<R>: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<R?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            _ = buffer.deinitialize()
            buffer.deallocate()
        }

        func set(_ index: Int, _ value: R) { buffer[index] = value }

        func values() -> [R] { buffer.map { $0! } }
    }
}
