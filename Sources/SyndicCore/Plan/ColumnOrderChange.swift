/// A channel's mapping targets put in another order: the columns of its rows move.
///
/// The order is the recorded `products.mappingOrder` (`MappingOrder`), or name order for a
/// spec stored before the order was kept. Adding or removing targets is not a reorder; only
/// a change in the relative order of the targets both specs map is. Pure.
public enum ColumnOrderChange {
    /// The field shown for a reorder: `products.mappingOrder`, the whole column list before
    /// and after (`[sku, title, price] -> [title, sku, price]`).
    public static let path = MappingOrder.path

    /// The field and the note of a reorder from channel spec `old` to `new`; nil when the
    /// targets both map keep their relative order. The note is nil for types whose
    /// destination reads values by name and has no columns (`akeneo-api`, `amazon-seller`).
    public static func of(old: Value, new: Value) -> (field: FieldChange, note: ChangeNote?)? {
        let before = MappingOrder.columns(of: old), after = MappingOrder.columns(of: new)
        let common = Set(before).intersection(after)
        guard before.filter(common.contains) != after.filter(common.contains) else { return nil }
        let field = FieldChange(path: path, before: list(before), after: list(after))
        return (field, note(type: new["type"]?.stringValue ?? "",
                            delta: new.value(at: "products.export.delta")?.boolValue == true))
    }

    /// What a reorder does to the next export of a channel of `type`: the note names the
    /// file whose columns move.
    static func note(type: String, delta: Bool) -> ChangeNote? {
        switch ChannelType(rawValue: type) {
        case .flatFile?:
            .columnsReordered(file: .productFile, deltaExport: delta)
        case .mirakl?:
            .columnsReordered(file: .offerFile, deltaExport: delta)
        case .akeneoAPI?, .amazonSeller?, nil:
            nil
        }
    }

    /// A column list as plans show lists: `[sku, title, price]`.
    static func list(_ columns: [String]) -> String { "[" + columns.joined(separator: ", ") + "]" }
}
