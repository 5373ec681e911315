import SyndicCore
import SyndicFlows

/// Renders `syndic preview`: the first mapped products as a table (long cells cut) or JSON.
struct PreviewView {
    let preview: ProductPreview
    /// The widest a table cell gets before it is cut with "…".
    var cellWidth = 40

    func table() -> String {
        var out: [String] = []
        if preview.rows.isEmpty {
            out.append("No product passes the filter and maps.")
        } else {
            var rows = [preview.targets]
            rows += preview.rows.map { $0.cells.map(cut) }
            out.append(Table.render(rows))
        }
        out.append("")
        out.append("\(preview.rows.count) products shown; \(preview.read) read from \(preview.source): "
                   + "\(preview.filteredOut) filtered out, \(preview.skipped.count) skipped, \(preview.invalid.count) invalid.")
        out += preview.skipped.prefix(10).map { "skipped \($0.key): \($0.reason)" }
        out += preview.invalid.prefix(10).map { "invalid product \($0.position): \($0.reason)" }
        return out.joined(separator: "\n")
    }

    func json() -> String {
        let products: [Value] = preview.rows.map { row in
            .object(["key": .string(row.key),
                     "fields": .object(Dictionary(uniqueKeysWithValues: zip(preview.targets, row.cells.map(Value.string))))])
        }
        return PrettyJSON.string(.object([
            "targets": .list(preview.targets.map(Value.string)),
            "products": .list(products),
            "read": .int(preview.read),
            "filtered_out": .int(preview.filteredOut),
            "skipped": .list(preview.skipped.map { .object(["key": .string($0.key), "reason": .string($0.reason)]) }),
            "invalid": .list(preview.invalid.map { .object(["position": .int($0.position), "reason": .string($0.reason)]) }),
            "source": .string(preview.source),
        ]))
    }

    private func cut(_ cell: String) -> String {
        let flat = cell.replacingOccurrences(of: "\n", with: " ")
        return flat.count > cellWidth ? String(flat.prefix(cellWidth - 1)) + "…" : flat
    }
}
