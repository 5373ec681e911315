import Foundation

extension ChangeNote: CustomStringConvertible {
    /// The note as every plan output shows it: the text and Markdown views and the plan JSON.
    public var text: String {
        switch self {
        case .inactiveChannel:
            "the channel is inactive: its schedules fire nothing until it is activated"
        case .deleteNeedsConfirmation(let channel):
            "deletes the channel and all its data; apply needs --confirm-delete \(channel)"
        case .credentialRotated:
            "the credential status resets to unknown; jobs use the new value from their next run"
        case .renamed(let kind, let from, let to):
            "\(Address.of(kind, from)) becomes \(Address.of(kind, to)): \(Self.movedByRename(kind)) move to the new name; "
                + "nothing is deleted"
        case .outputChanged(let settings, let deltaExport):
            Self.outputChangedText(settings: settings, deltaExport: deltaExport)
        case .columnsReordered(let file, let deltaExport):
            Self.columnsReorderedText(file: file, deltaExport: deltaExport)
        case .suspended(let channel, let renamedFrom, let suspension):
            Self.suspendedText(channel: channel, renamedFrom: renamedFrom, suspension: suspension)
        case .invalidCredentials(let address, let problem):
            "\(address) has invalid credentials: \(problem) — rotate the secret"
        case .recorded(let words):
            words
        }
    }

    /// The note's text.
    public var description: String { text }

    /// What a resource of `kind` takes along when it is renamed.
    private static func movedByRename(_ kind: ResourceKind) -> String {
        kind == .channel
            ? "its runs and logs, export records and delta snapshots, orders and shipments, schedules, suspension, "
                + "credential status and history"
            : "its credential status and history"
    }

    /// What the next export sends once the output settings `settings` changed.
    private static func outputChangedText(settings: [String], deltaExport: Bool) -> String {
        let changed = settings.joined(separator: ", ") + " changed"
        guard deltaExport else {
            return changed + ": the next export sends the new output (delta export is off, every export is full)"
        }
        let resent = settings.contains("products.filter")
            ? "products newly matching the filter and every product whose mapped output changed"
            : "every product whose mapped output changed"
        return "\(changed): the next delta export resends \(resent)"
    }

    /// Who suspended the channel, when and why, and how to lift the suspension.
    private static func suspendedText(channel: String, renamedFrom: String?, suspension: Suspension) -> String {
        let renamed = renamedFrom.map { " (renamed from \($0))" } ?? ""
        return "\(Address.of(.channel, channel))\(renamed) is suspended since \(Timestamp.iso(suspension.at, zone: "UTC")) "
            + "by \(suspension.by): \(suspension.reason) — apply does not lift it; run `syndic resume \(channel)`"
    }

    /// What the next export does with a new column order in `file`.
    private static func columnsReorderedText(file: ColumnFile, deltaExport: Bool) -> String {
        switch (file, deltaExport) {
        case (.productFile, true):
            "columns reordered: the next delta export resends every product (the file's columns change)"
        case (.productFile, false):
            "columns reordered: the next export writes the new column order"
        case (.offerFile, true):
            "columns reordered: the next offer file has the new column order; Mirakl reads offers by column name, "
                + "so a delta export resends no product for it"
        case (.offerFile, false):
            "columns reordered: the next offer file has the new column order"
        }
    }
}
