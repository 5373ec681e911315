import Foundation

/// Pages (Amazon's getOrders pages, the decided batches of a shipment file) read on a thread
/// of their own ahead of the caller, at most `capacity` waiting: the caller takes them in the
/// reader's order, each once (`next`), and gets the reader's error after the pages it read
/// before failing. The reader gets a `deliver` function, which waits
/// while `capacity` pages wait and answers false once the caller stopped reading, and a stop
/// flag raised at the same moment, for the waits it makes between pages. `close` stops the
/// reader and waits for its thread to end: call it when done reading, error or not.
public final class ReadAhead<Page: Sendable>: @unchecked Sendable {
    public let capacity: Int
    private let condition = NSCondition()
    private var waiting: [Page] = []
    /// How the reader ended; nil while it reads.
    private var end: Result<Void, Error>?
    private var closed = false
    private let stop = CancellationFlag()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `read` on a new thread named `name`.
    public init(capacity: Int, name: String,
         read: @escaping @Sendable (_ deliver: (Page) -> Bool, _ stop: CancellationFlag) throws -> Void) {
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in
            let outcome = Result<Void, Error> { try read({ self.deliver($0) }, stop) }
            condition.lock()
            end = outcome
            condition.broadcast()
            condition.unlock()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next page in the reader's order; nil after the last one. Throws the reader's error
    /// once the pages it read before it were taken.
    public func next() throws -> Page? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && end == nil { condition.wait() }
        if !waiting.isEmpty {
            let page = waiting.removeFirst()
            condition.broadcast()
            return page
        }
        try end?.get()
        return nil
    }

    /// Stops the reader (a page it is waiting to hand on is dropped, a quota wait ends) and
    /// waits until its thread ended. Safe to call more than once.
    public func close() {
        condition.lock()
        closed = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
        stop.cancel()
        finished.wait()
        finished.signal()
    }

    /// Hands `page` to the caller once fewer than `capacity` pages wait; false when the caller
    /// stopped reading (the page is dropped).
    private func deliver(_ page: Page) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        waiting.append(page)
        condition.broadcast()
        return true
    }
}
