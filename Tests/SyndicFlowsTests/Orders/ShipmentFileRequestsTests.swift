import Foundation
import SyndicCore
@testable import SyndicFlows
import Testing

/// A shipment file read as the store asks: valid rows become requests in order (each with
/// its row kept), invalid rows are refused with their reason, blank lines are skipped.
struct ShipmentFileRequestsTests {
    @Test func rowsBecomeRequestsAsTheyAreAskedForAndTheInvalidOnesAreRefused() throws {
        let text = [
            ShipmentImportJobTests.header,
            ",A-1,1,T1,1744187335000,UPS,,,",
            ",A-2,1,T2,not-a-date,UPS,,,",
            "",
            ",A-3,1,T3,1744187335000,UPS,,,",
            ",A-4,1,T4,1744187335000,UPS,,,",
            ",,1,T5,1744187335000,UPS,,,",
            ",A-6,1,T6,1744187335000,UPS,,,",
        ].joined(separator: "\n") + "\n"
        var rows = CSVReader.Rows(Array(text.utf8))
        let first = rows.next()
        let header = try #require(first)
        let columns = try ShipmentTemplate.Header.read(header.fields).get()
        let file = ShipmentFileRequests(rows, columns: columns)

        #expect(file.next(2).map(\.order) == [.marketplaceID("A-1"), .marketplaceID("A-3")])
        #expect(file.requestRows.map(\.line) == [2, 5], "a refused row and a blank line are passed over")
        #expect(file.rejections.map(\.row.line) == [3])
        #expect(file.next(5).map(\.order) == [.marketplaceID("A-4"), .marketplaceID("A-6")])
        #expect(file.next(5).isEmpty)
        #expect(file.requestRows.map(\.line) == [2, 5, 6, 8])
        #expect(file.requestRows.allSatisfy { $0.fields.isEmpty && !$0.bytes.isEmpty }, "kept for their place in the file")
        #expect(file.rejections.map(\.row.line) == [3, 7])
        #expect(file.rejections.allSatisfy { !$0.reason.isEmpty })
    }
}
