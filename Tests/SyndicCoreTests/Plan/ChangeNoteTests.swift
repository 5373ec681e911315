import Foundation
import Testing
@testable import SyndicCore

/// The wording of every plan note, and its JSON form: the note's text, read back as
/// `.recorded`.
@Suite struct ChangeNoteTests {
    static let suspension = Suspension(reason: "ERP outage", by: "ops@example",
                                       at: ISO8601DateFormatter().date(from: "2026-03-20T08:00:00Z")!)

    static let texts: [(ChangeNote, String)] = [
        (.inactiveChannel, "the channel is inactive: its schedules fire nothing until it is activated"),
        (.deleteNeedsConfirmation(channel: "mirakl_fr"),
         "deletes the channel and all its data; apply needs --confirm-delete mirakl_fr"),
        (.credentialRotated, "the credential status resets to unknown; jobs use the new value from their next run"),
        (.renamed(kind: .channel, from: "mirakl_fr", to: "mirakl_france"),
         "channel.mirakl_fr becomes channel.mirakl_france: its runs and logs, export records and delta snapshots, "
            + "orders and shipments, schedules, suspension, credential status and history move to the new name; "
            + "nothing is deleted"),
        (.renamed(kind: .connection, from: "pim", to: "akeneo"),
         "connection.pim becomes connection.akeneo: its credential status and history move to the new name; "
            + "nothing is deleted"),
        (.outputChanged(settings: ["products.mapping"], deltaExport: true),
         "products.mapping changed: the next delta export resends every product whose mapped output changed"),
        (.outputChanged(settings: ["products.mapping"], deltaExport: false),
         "products.mapping changed: the next export sends the new output (delta export is off, every export is full)"),
        (.outputChanged(settings: ["products.filter"], deltaExport: true),
         "products.filter changed: the next delta export resends products newly matching the filter and every "
            + "product whose mapped output changed"),
        (.outputChanged(settings: ["products.mapping", "products.filter"], deltaExport: true),
         "products.mapping, products.filter changed: the next delta export resends products newly matching the "
            + "filter and every product whose mapped output changed"),
        (.outputChanged(settings: ["source.connection", "source.locales"], deltaExport: false),
         "source.connection, source.locales changed: the next export sends the new output (delta export is off, "
            + "every export is full)"),
        (.columnsReordered(file: .productFile, deltaExport: true),
         "columns reordered: the next delta export resends every product (the file's columns change)"),
        (.columnsReordered(file: .productFile, deltaExport: false),
         "columns reordered: the next export writes the new column order"),
        (.columnsReordered(file: .offerFile, deltaExport: true),
         "columns reordered: the next offer file has the new column order; Mirakl reads offers by column name, "
            + "so a delta export resends no product for it"),
        (.columnsReordered(file: .offerFile, deltaExport: false),
         "columns reordered: the next offer file has the new column order"),
        (.suspended(channel: "mirakl_fr", renamedFrom: nil, suspension: suspension),
         "channel.mirakl_fr is suspended since 2026-03-20T08:00:00Z by ops@example: ERP outage — apply does not "
            + "lift it; run `syndic resume mirakl_fr`"),
        (.suspended(channel: "mirakl_france", renamedFrom: "mirakl_fr", suspension: suspension),
         "channel.mirakl_france (renamed from mirakl_fr) is suspended since 2026-03-20T08:00:00Z by ops@example: "
            + "ERP outage — apply does not lift it; run `syndic resume mirakl_france`"),
        (.invalidCredentials(address: "channel.mirakl_fr", problem: "credentials.apiKey: 401 Unauthorized"),
         "channel.mirakl_fr has invalid credentials: credentials.apiKey: 401 Unauthorized — rotate the secret"),
        (.recorded("a note as a saved plan has it"), "a note as a saved plan has it"),
    ]

    @Test(arguments: texts)
    func eachNoteHasItsWording(_ note: ChangeNote, _ text: String) {
        #expect(note.text == text)
        #expect(note.description == text)
    }

    @Test func aNoteIsWrittenAsItsTextAndReadBackAsRecorded() throws {
        let notes: [ChangeNote] = [.credentialRotated, .deleteNeedsConfirmation(channel: "old_partner")]
        let data = try JSONEncoder().encode(notes)
        #expect(try JSONSerialization.jsonObject(with: data) as? [String] == notes.map(\.text))
        let read = try JSONDecoder().decode([ChangeNote].self, from: data)
        #expect(read == notes.map { ChangeNote.recorded($0.text) })
        #expect(try JSONEncoder().encode(read) == data)
    }

    @Test func aNoteThatIsNotTextIsRefused() {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([ChangeNote].self, from: Data("[{\"kind\": \"rotated\"}]".utf8))
        }
    }
}
