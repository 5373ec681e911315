import Yams

extension DocumentCompiler {
    /// `spec` with `products.mappingOrder`: the targets of its mapping in the order the
    /// document `root` writes them (`spec.products.mapping`), since a spec value keeps no order.
    ///
    /// Only the targets the schema kept are listed. A spec whose mapping has no target is
    /// returned as it is.
    static func recordingMappingOrder(_ spec: Value, root: Node) -> Value {
        guard case .object(var members) = spec, case .object(var products)? = members["products"],
              let targets = products["mapping"]?.objectValue, !targets.isEmpty,
              let written = member(member(member(root, "spec"), "products"), "mapping")?.mapping else { return spec }
        var order: [Value] = []
        order.reserveCapacity(targets.count)
        for key in written.keys {
            if let target = key.scalar?.string, targets[target] != nil { order.append(.string(target)) }
        }
        products["mappingOrder"] = .list(order)
        members["products"] = .object(products)
        return .object(members)
    }

    /// The value of `key` in a mapping node, its key read as the schema walker reads keys.
    private static func member(_ node: Node?, _ key: String) -> Node? {
        node?.mapping?.first(where: { $0.key.scalar?.string == key })?.value
    }
}
