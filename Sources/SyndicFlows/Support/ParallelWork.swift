import Foundation

/// Blocking work on threads of its own, a few at once.
enum ParallelWork {
    /// `work` applied to each of `items`, on up to `parallel` threads named `name` at once
    /// (on this thread when one is enough); the results in the order of `items`, or, when
    /// items failed, the error of the first of them in that order (items not started once one
    /// failed are skipped).
    static func map<T: Sendable, R: Sendable>(_ items: [T], parallel: Int, name: String,
                                              _ work: @escaping @Sendable (T) throws -> R) throws -> [R] {
        guard items.count > 1, parallel > 1 else { return try items.map(work) }
        let threads = min(parallel, items.count)
        let results = Results<R>(count: items.count, threads: threads)
        DedicatedThreads.start(threads, name: name) { _ in
            while let index = results.next() {
                results.finish(index, Result { try work(items[index]) })
            }
            results.threadEnded()
        }
        return try results.values()
    }

    /// The results of `map`, filled by its threads.
    private final class Results<R: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var slots: [Result<R, any Error>?]
        private var started = 0
        private var running: Int
        private var failed = false

        init(count: Int, threads: Int) {
            slots = Array(repeating: nil, count: count)
            running = threads
        }

        /// The next item to work on; nil when every item started or one failed.
        func next() -> Int? {
            condition.withLock { () -> Int? in
                guard !failed, started < slots.count else { return nil }
                started += 1
                return started - 1
            }
        }

        func finish(_ index: Int, _ result: Result<R, any Error>) {
            condition.withLock {
                slots[index] = result
                if case .failure = result { failed = true }
            }
        }

        func threadEnded() {
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// Waits for the threads to end; the results, or the error of the lowest failed item.
        func values() throws -> [R] {
            condition.lock()
            while running > 0 { condition.wait() }
            let done = slots
            condition.unlock()
            for case .failure(let error)? in done { throw error }
            return try done.map { slot -> R in
                guard let slot else { throw CancellationError() }
                return try slot.get()
            }
        }
    }
}
