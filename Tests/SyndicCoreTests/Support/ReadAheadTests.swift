import Foundation
import Testing
import SyndicCore

/// Pages read ahead on a thread of their own: handed on in the reader's order, each once,
/// never more than `capacity` waiting; the reader's error after the pages it read before;
/// a caller that stops reading stops the reader, even in the middle of a wait.
struct ReadAheadTests {
    struct Broken: Error, Equatable {
        var after: Int
    }

    /// A count shared by the reader's thread and the test.
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }

    @Test func pagesComeInTheReadersOrderEachOnceAtMostCapacityAhead() throws {
        let delivered = Count()
        let pages = ReadAhead<Int>(capacity: 2, name: "read-ahead-test") { deliver, _ in
            for page in 0..<200 {
                guard deliver(page) else { return }
                delivered.add()
            }
        }
        defer { pages.close() }
        var taken: [Int] = []
        var lead = 0
        while let page = try pages.next() {
            taken.append(page)
            // A slow caller: the reader fills the queue, and no further.
            Thread.sleep(forTimeInterval: 0.001)
            lead = max(lead, delivered.value - taken.count)
        }
        #expect(taken == Array(0..<200))
        #expect(try pages.next() == nil)
        #expect(lead <= 2)
        #expect(lead >= 1, "the reader never read ahead")
    }

    @Test func theReadersErrorComesAfterThePagesItReadBefore() throws {
        let pages = ReadAhead<Int>(capacity: 2, name: "read-ahead-test") { deliver, _ in
            for page in 0..<5 {
                guard deliver(page) else { return }
            }
            throw Broken(after: 5)
        }
        defer { pages.close() }
        var taken: [Int] = []
        do {
            while let page = try pages.next() { taken.append(page) }
            Issue.record("the reader's error was lost")
        } catch let error as Broken {
            #expect(error == Broken(after: 5))
        }
        #expect(taken == [0, 1, 2, 3, 4])
    }

    @Test func closingStopsTheReaderInTheMiddleOfAWait() throws {
        let ended = Count()
        let pages = ReadAhead<Int>(capacity: 1, name: "read-ahead-test") { deliver, stop in
            defer { ended.add() }
            guard deliver(0), deliver(1) else { return }
            // A long wait, as for quota, checking the stop flag.
            for _ in 0..<6000 {
                try stop.check()
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        #expect(try pages.next() == 0)
        let start = Date()
        pages.close()
        #expect(ended.value == 1)
        #expect(Date().timeIntervalSince(start) < 5)
        // Closing again changes nothing.
        pages.close()
        #expect(ended.value == 1)
    }
}
