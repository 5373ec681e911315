import Foundation
import Testing
@testable import SyndicCore

struct RunStatusTests {
    @Test(arguments: [(RunStatus.queued, false), (.running, false), (.succeeded, true), (.failed, true), (.canceled, true),
                      (.held, true)])
    func isFinished(_ status: RunStatus, expected: Bool) {
        #expect(status.isFinished == expected)
    }

    /// The raw values are stored in the state and shown by `syndic runs`: they must not change.
    @Test func rawValuesAreStable() {
        #expect(RunStatus.allCases.map(\.rawValue) == ["queued", "running", "succeeded", "failed", "canceled", "held"])
        #expect(RunTrigger.allCases.map(\.rawValue) == ["schedule", "manual"])
    }

    @Test func statusesRoundTripThroughJSON() throws {
        let encoded = try JSONEncoder().encode(RunStatus.allCases)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["queued","running","succeeded","failed","canceled","held"]"#)
        #expect(try JSONDecoder().decode([RunStatus].self, from: encoded) == RunStatus.allCases)
        #expect(try JSONDecoder().decode(RunTrigger.self, from: Data(#""schedule""#.utf8)) == .schedule)
    }
}
