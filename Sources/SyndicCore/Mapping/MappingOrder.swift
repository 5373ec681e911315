/// The order of a channel's mapping targets: the columns of every exported row.
///
/// A mapping is a YAML mapping, whose order the spec value does not keep; the compiler
/// records the targets in the order the file writes them as `products.mappingOrder`, a
/// derived key that nobody writes by hand. Targets that list does not name (a spec stored
/// before the order was kept, a hand-made spec) follow it, sorted by name.
public enum MappingOrder {
    /// The spec path of the recorded order.
    public static let path = "products.mappingOrder"

    /// `targets` in `order` first, then the targets `order` does not name, sorted by name.
    /// Names in `order` that are not targets are ignored, and so are repeated names.
    public static func arrange(_ targets: some Collection<String>, order: [String]?) -> [String] {
        let all = Set(targets)
        var listed = Set<String>()
        var arranged: [String] = []
        arranged.reserveCapacity(all.count)
        for target in order ?? [] where all.contains(target) && listed.insert(target).inserted {
            arranged.append(target)
        }
        return arranged + all.subtracting(listed).sorted()
    }

    /// The columns of a channel spec value: its mapping's targets in its recorded order
    /// (none without a mapping).
    public static func columns(of spec: Value) -> [String] {
        guard let mapping = spec.value(at: "products.mapping")?.objectValue else { return [] }
        return arrange(mapping.keys, order: spec.value(at: path)?.listValue?.compactMap(\.stringValue))
    }
}
