import Foundation
import SyndicCore
import SyndicEngine
@testable import SyndicFlows
import SyndicStore
import SyndicTestSupport
import Testing

/// The shipment import (shipment confirmation files the ERP uploads) against a real FTP
/// server, with the sample Mirakl orders in the state (see `OrderExportJobTests.orders`).
struct ShipmentImportJobTests {
    /// 2025-06-15T15:06:40.25Z.
    static let now = Date(timeIntervalSince1970: 1_750_000_000.25)
    static let stamp = "2025-06-15T15-06-40.2500"
    static let header = "id,original_id,package_id,tracking_number,shipping_date,carrier_code,item_id,item_original_id,item_quantity_shipped"

    /// A CSV file as a partner's spreadsheet writes it: UTF-8 BOM, CRLF.
    static func csv(_ lines: [String]) -> Data {
        Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Quantities shipped of the lines of an order, as syndic counts them.
    static func shipped(_ workspace: FlowWorkspace, _ order: String) throws -> [Int] {
        try workspace.order(order).stored.order.lines.map(\.quantityShipped)
    }

    @Test func appliesTheValidRowsAndRejectsTheOthers() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        let internalID = try workspace.order("FR1003-A").stored.id
        try ftp.put("incoming/shipments_0412.csv", Self.csv([
            Self.header,
            ",FR1002-A,1,\"TRK,001\",1744187335000,UPS,1,,1",                  // line 2: one of item 1
            ",DE2001-A,1,TRK-002,1744187335000,DHL,,,",                         // line 3: the whole order
            ",FR1006-A,1,TRK-003,1744187335000,UPS,,,",                         // line 4: refused order
            ",NOPE-1,1,TRK-004,1744187335000,UPS,,,",                           // line 5: unknown order
            ",FR1003-A,1,TRK-005,17441873350,UPS,,,",                           // line 6: 11 digits
            ",FR1002-A,2,TRK-006,1744187335000,UPS,,FR1002-A-2,5",              // line 7: 5 of 2
            "\(internalID.uppercased()),,1,TRK-007,1744187335000,COLISSIMO,,FR1003-A-2,",  // line 8: by internal id
        ]))
        try ftp.put("incoming/readme.txt", Data("not a shipment file\n".utf8))

        let run = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["files": 1, "applied": 3, "duplicates": 0, "rejected": 4])
        #expect(run.report?.contains("shipments_0412.csv: 3 applied, 0 already imported, 4 rejected") == true, "\(run.report ?? "")")

        // The CSV is gone, the other file stays, the rejected rows wait in rejected/.
        #expect(ftp.files("incoming") == ["readme.txt"])
        let rejectedName = "shipments_0412_rejected_\(Self.stamp).csv"
        #expect(ftp.files("incoming/rejected") == [rejectedName])
        let rejected = csvRows(try ftp.text("incoming/rejected/\(rejectedName)"))
        #expect(rejected.first == ShipmentTemplate.columns + ["reason"])
        let reasons = rejected.dropFirst().map { $0.last ?? "" }
        #expect(rejected.dropFirst().map { $0[1] } == ["FR1006-A", "NOPE-1", "FR1003-A", "FR1002-A"])
        #expect(rejected.dropFirst().allSatisfy { $0.count == 10 })
        #expect(reasons.count == 4)
        if reasons.count == 4 {
            #expect(reasons[0].hasPrefix("line 4: ") && reasons[0].contains("REFUSED"), "\(reasons[0])")
            #expect(reasons[1].hasPrefix("line 5: ") && reasons[1].contains("no order NOPE-1"), "\(reasons[1])")
            #expect(reasons[2].hasPrefix("line 6: ") && reasons[2].contains("13 digits"), "\(reasons[2])")
            #expect(reasons[3].hasPrefix("line 7: ") && reasons[3].contains("only 2 left"), "\(reasons[3])")
        }

        // The good rows of the half-valid file are in the state.
        let orders = try workspace.storedOrders()
        #expect(orders["FR1002-A"]?.status == "PARTIALLY_SHIPPED")
        #expect(orders["DE2001-A"]?.status == "SHIPPED")
        #expect(orders["FR1003-A"]?.status == "SHIPPED")
        #expect(orders["FR1006-A"]?.status == "REFUSED")
        #expect(try Self.shipped(workspace, "FR1002-A") == [1, 0])
        #expect(try Self.shipped(workspace, "FR1003-A") == [1, 1])
        let shipment = try #require(try workspace.order("FR1002-A").shipments.first)
        #expect(shipment.trackingNumber == "TRK,001")
        #expect(shipment.carrierCode == "UPS")
        #expect(shipment.packageID == "1")
        #expect(shipment.shippingDate == Date(timeIntervalSince1970: 1_744_187_335))
        #expect(shipment.items.map { [$0.lineNumber, $0.quantity] } == [[1, 1]])
        #expect(shipment.status == "pending")
        #expect(shipment.source == "ftp:shipments_0412.csv")
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).count == 3)

        // Nothing more to import: the next run finds no CSV.
        let empty = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(empty.counts == ["files": 0, "applied": 0, "duplicates": 0, "rejected": 0])
        #expect(ftp.files("incoming") == ["readme.txt"])
    }

    /// The rejected file keeps each rejected record byte for byte — a Latin-1 byte, fields
    /// beyond the header, a quoted field with a line break, CRLF — with the reason as one more
    /// quoted field; a last record without a line end takes the header's.
    @Test func rejectedRowsAreKeptByteForByte() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        var file: [UInt8] = [0xEF, 0xBB, 0xBF]
        file += Array((Self.header + "\r\n").utf8)
        file += Array(",FR1002-A,1,TRK-1,1744187335000,UPS,1,,1\r\n".utf8)                     // line 2: applied
        let latin1: [UInt8] = Array(",FR1002-A,1,TRK-".utf8) + [0xE9] + Array(",1744187335000,UPS,abc,,".utf8)  // line 3
        file += latin1 + [0x0D, 0x0A]
        let extra = ",FR1003-A,1,TRK-3,17441873350,UPS,,,,extra1,\"extra,2\""                  // line 4
        file += Array((extra + "\r\n").utf8)
        let multiLine = ",FR1002-A,1,\"TRK\r\n4\",1744187335000,UPS,1,,0"                     // lines 5–6
        file += Array((multiLine + "\r\n\r\n").utf8)                                        // line 7 blank
        let noLineEnd = ",,1,TRK-5,1744187335000,UPS,,,"                                        // line 8
        file += Array(noLineEnd.utf8)
        try ftp.put("incoming/latin.csv", Data(file))

        let run = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["files": 1, "applied": 1, "duplicates": 0, "rejected": 4])

        var expected: [UInt8] = [0xEF, 0xBB, 0xBF]
        expected += Array((Self.header + ",reason\r\n").utf8)
        expected += latin1
        expected += Array(",\"line 3: item_id \"\"abc\"\" is not an item id (the line_number of the order export)\"\r\n".utf8)
        expected += Array((extra + ",\"line 4: shipping_date \"\"17441873350\"\" is not a timestamp in milliseconds (13 digits)\"\r\n").utf8)
        expected += Array((multiLine + ",\"line 5: item_quantity_shipped \"\"0\"\" is not a whole number from 1\"\r\n").utf8)
        expected += Array((noLineEnd + ",\"line 8: one of id or original_id is required\"\r\n").utf8)
        let rejected = try Data(contentsOf: ftp.home.appendingPathComponent("incoming/rejected/latin_rejected_\(Self.stamp).csv"))
        #expect([UInt8](rejected) == expected, "\(String(decoding: rejected, as: UTF8.self))")
        #expect(ftp.files("incoming").isEmpty)
    }

    /// A local folder that does not exist fails the run with its name (an unmounted share
    /// is not "no file"); once it exists, its files are imported.
    @Test func aMissingLocalFolderFailsTheRun() async throws {
        let workspace = try OrderFlows.workspace(files: [
            "erp.yaml": "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: erp}\nspec: {type: local, path: ../erp}\n",
            "mirakl_fr.yaml": OrderFlows.miraklChannel(endpoint: "http://127.0.0.1:\(try TestPaths.closedPort())", orders: """
                    retrieval: true
                    shipmentImport:
                      storage: {connection: erp, folder: shipments}
                      settleSeconds: 0
                """),
        ])
        _ = try workspace.store.upsertOrders(try OrderExportJobTests.orders(), channel: "mirakl_fr", marketplace: "mirakl",
                                             runID: nil, at: Date())
        let failed = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        #expect(error.contains("erp/shipments does not exist"), "\(error)")

        try workspace.write("erp/shipments/ship.csv", Self.header + "\n,FR1002-A,1,TRK-1,1744187335000,UPS,1,,1\n")
        let imported = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(imported.status == .succeeded, "\(imported.error ?? "")")
        #expect(imported.counts == ["files": 1, "applied": 1, "duplicates": 0, "rejected": 0])
        #expect(workspace.files(in: "erp/shipments").isEmpty)
    }

    /// A file the ERP is still writing (it grows between the two listings) is neither
    /// applied nor deleted; the settled one beside it is imported; the next run, the file
    /// having settled, imports it whole.
    @Test func aFileStillBeingWrittenWaitsUntilItSettles() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let growing = ftp.home.appendingPathComponent("incoming/growing.csv")
        let once = Once()
        var job = ShipmentImportJob()
        job.betweenListings = {
            // The rest of the upload lands between the two listings of the first run only.
            guard once.first(), let handle = try? FileHandle(forWritingTo: growing) else { return }
            handle.seekToEndOfFile()
            handle.write(Data("S,2,,1\n,FR1003-A,1,TRK-9,1744187335000,UPS,,,\n".utf8))
            try? handle.close()
        }
        let registry = JobRegistry([OrderRetrievalJob(http: OrderFlows.http), OrderExportJob(), job,
                                    ConfirmationPushJob(http: OrderFlows.http)])
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port, settleSeconds: 1, registry: registry)
        try ftp.put("incoming/done.csv", Self.csv([Self.header, ",FR1002-A,1,TRK-1,1744187335000,UPS,1,,1"]))
        // Cut mid-row: the carrier reads "UP" until the rest of the upload lands.
        try ftp.put("incoming/growing.csv", Data((Self.header + "\n,FR1002-A,2,TRK-2,1744187335000,UP").utf8))

        let first = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(first.counts == ["files": 1, "applied": 1, "duplicates": 0, "rejected": 0, "unsettled": 1], "\(first.counts)")
        #expect(first.report?.contains("growing.csv: still being written") == true, "\(first.report ?? "")")
        #expect(ftp.files("incoming") == ["growing.csv"])
        #expect(try workspace.order("FR1002-A").shipments.count == 1, "nothing of the cut file was applied")

        let second = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts == ["files": 1, "applied": 2, "duplicates": 0, "rejected": 0], "\(second.counts)")
        #expect(ftp.files("incoming").isEmpty)
        #expect(try workspace.order("FR1002-A").shipments.map(\.carrierCode) == ["UPS", "UPS"])
        #expect(try workspace.order("FR1003-A").shipments.count == 1)
    }

    /// A file that cannot be downloaded (here a folder named like a file) is reported and
    /// skipped; the other files are imported and the run succeeds.
    @Test func aFileThatCannotBeReadIsSkippedAndTheOthersImported() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        try FileManager.default.createDirectory(at: ftp.home.appendingPathComponent("incoming/broken.csv"),
                                                withIntermediateDirectories: true)
        try ftp.put("incoming/good.csv", Self.csv([Self.header, ",FR1002-A,1,TRK-1,1744187335000,UPS,1,,1"]))
        let run = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["files": 1, "applied": 1, "duplicates": 0, "rejected": 0, "unreadable": 1], "\(run.counts)")
        #expect(run.report?.contains("broken.csv: cannot be read") == true, "\(run.report ?? "")")
        #expect(try workspace.order("FR1002-A").shipments.count == 1)
    }

    /// A dry run checks the files and changes nothing: no shipment, no rejected file, the
    /// file stays.
    @Test func aDryRunChangesNothing() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        try ftp.put("incoming/wednesday.csv", Self.csv([
            Self.header,
            ",FR1002-A,1,TRK-1,1744187335000,UPS,,,",
            ",NOPE-1,1,TRK-2,1744187335000,UPS,,,",
            ",FR1003-A,1,TRK-3,123,UPS,,,",
        ]))
        let run = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now, dryRun: true)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts["applied"] == 2, "\(run.counts)")
        #expect(run.counts["rejected"] == 1)
        #expect(run.report?.hasPrefix("dry run") == true, "\(run.report ?? "")")
        #expect(ftp.files("incoming") == ["wednesday.csv"])
        #expect(ftp.files("incoming/rejected").isEmpty)
        #expect(try workspace.order("FR1002-A").shipments.isEmpty)
        #expect(try workspace.storedOrders()["FR1002-A"]?.status == "WAITING_FOR_SHIPMENT")
    }

    /// A header without id or original_id: every row is rejected, nothing applied.
    @Test func aFileWithoutAnOrderColumnIsWhollyRejected() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        try ftp.put("incoming/erp.csv", Self.csv([
            "order,package_id,shipping_date,carrier_code",
            "FR1002-A,1,1744187335000,UPS",
            "DE2001-A,1,1744187335000,DHL",
        ]))
        let run = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(run.status == .succeeded, "\(run.error ?? "")")
        #expect(run.counts == ["files": 1, "applied": 0, "duplicates": 0, "rejected": 2])
        #expect(ftp.files("incoming").isEmpty)
        let rejected = csvRows(try ftp.text("incoming/rejected/erp_rejected_\(Self.stamp).csv"))
        #expect(rejected.first == ["order", "package_id", "shipping_date", "carrier_code", "reason"])
        #expect(rejected.dropFirst().map { $0[0] } == ["FR1002-A", "DE2001-A"])
        #expect(rejected.dropFirst().allSatisfy { $0.last?.contains("neither id nor original_id") == true })
        #expect(try workspace.order("FR1002-A").shipments.isEmpty)
        #expect(try workspace.order("DE2001-A").shipments.isEmpty)
        #expect(try workspace.storedOrders()["FR1002-A"]?.status == "WAITING_FOR_SHIPMENT")
    }

    /// The same rows imported twice ship nothing twice.
    @Test func theSameRowsTwiceShipNothingTwice() async throws {
        let ftp = try OrderFTPServer()
        defer { ftp.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: ftp.port)
        let rows = Self.csv([
            Self.header,
            ",FR1002-A,1,TRK-1,1744187335000,UPS,1,,1",
            ",FR1002-A,1,TRK-1,1744187335000,UPS,2,,1",
        ])
        try ftp.put("incoming/monday.csv", rows)
        let first = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(first.counts == ["files": 1, "applied": 2, "duplicates": 0, "rejected": 0], "\(first.error ?? "")")
        #expect(try Self.shipped(workspace, "FR1002-A") == [1, 1])
        #expect(try workspace.order("FR1002-A").shipments.count == 1)

        try ftp.put("incoming/monday_again.csv", rows)
        let second = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(second.counts == ["files": 1, "applied": 0, "duplicates": 2, "rejected": 0])
        #expect(try Self.shipped(workspace, "FR1002-A") == [1, 1])
        #expect(try workspace.order("FR1002-A").shipments.map { $0.items.map { [$0.lineNumber, $0.quantity] } }
                == [[[1, 1], [2, 1]]])
        #expect(try workspace.storedOrders()["FR1002-A"]?.status == "PARTIALLY_SHIPPED")
        #expect(ftp.files("incoming").isEmpty)
        #expect(ftp.files("incoming/rejected").isEmpty)
    }

    /// The server dies when asked to delete the imported file: the run fails after the rows
    /// were committed; with the server back, the file is read again, ships nothing twice and
    /// is deleted.
    @Test func aServerThatDiesBeforeTheDeleteShipsNothingTwice() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-orders-ftp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let dying = try OrderFTPServer(home: home, dieOn: ["DELE"])
        defer { dying.kill() }
        let workspace = try OrderExportJobTests.workspace(ftpPort: dying.port)
        try dying.put("incoming/tuesday.csv", Self.csv([
            Self.header,
            ",FR1002-A,1,TRK-9,1744187335000,UPS,,,",
            ",DE2001-A,1,TRK-10,1744187335000,DHL,,,",
            ",FR1006-A,1,TRK-11,1744187335000,DHL,,,",
        ]))
        let failed = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        #expect(error.contains("cannot delete"), "\(error)")
        #expect(!(try workspace.everything(failed)).contains(OrderFTPServer.password))
        #expect(dying.files("incoming") == ["tuesday.csv"])
        #expect(try Self.shipped(workspace, "FR1002-A") == [1, 2])
        #expect(try Self.shipped(workspace, "DE2001-A") == [1])
        // (The sample's cancellation of FR1005-A raised an alert when the orders were stored.)
        #expect(try workspace.store.undeliveredAlerts(limit: 10).map(\.kind) == ["cancellation-requested", "ftp-failed"])

        let ftp = try OrderFTPServer(home: home)
        defer { ftp.kill() }
        try workspace.ftpConnection(port: ftp.port)
        try workspace.apply()
        let again = try await workspace.run("mirakl_fr", .shipmentImport, at: Self.now)
        #expect(again.status == .succeeded, "\(again.error ?? "")")
        #expect(again.counts == ["files": 1, "applied": 0, "duplicates": 2, "rejected": 1])
        #expect(ftp.files("incoming").isEmpty)
        #expect(ftp.files("incoming/rejected") == ["tuesday_rejected_\(Self.stamp).csv"])
        #expect(try Self.shipped(workspace, "FR1002-A") == [1, 2])
        #expect(try Self.shipped(workspace, "DE2001-A") == [1])
        #expect(try workspace.order("FR1002-A").shipments.count == 1)
        #expect(try workspace.store.dueShipments(channel: "mirakl_fr", now: Date(), limit: 10).count == 2)
    }
}

/// True the first time only.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func first() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}
