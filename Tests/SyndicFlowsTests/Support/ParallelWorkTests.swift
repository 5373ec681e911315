import Foundation
import Testing
@testable import SyndicFlows

/// Work on a few threads at once: results in the items' order, never more threads busy than
/// asked, the error of the first item that failed.
@Suite struct ParallelWorkTests {
    @Test func resultsKeepTheItemsOrderWithAtMostTheThreadsAsked() throws {
        let calls = AkeneoGateTests.Concurrency()
        let squares = try ParallelWork.map(Array(0..<12), parallel: 3, name: "syndic-test") { item in
            calls.enter()
            Thread.sleep(forTimeInterval: 0.02 * Double(12 - item) / 12)
            calls.leave()
            return item * item
        }
        #expect(squares == (0..<12).map { $0 * $0 })
        #expect(calls.highest <= 3)
        #expect(calls.highest > 1)
    }

    @Test func theFirstErrorIsThrown() {
        struct Failed: Error, Equatable { var item: Int }
        #expect(throws: Failed(item: 5)) {
            try ParallelWork.map(Array(0..<8), parallel: 1, name: "syndic-test") { item in
                if item == 5 { throw Failed(item: 5) }
                return item
            }
        }
        #expect(throws: Failed.self) {
            try ParallelWork.map(Array(0..<8), parallel: 4, name: "syndic-test") { item in
                if item % 3 == 2 { throw Failed(item: item) }
                return item
            }
        }
    }
}
