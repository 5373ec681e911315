/// Flattens a value into `key.path -> display text` leaves, the unit of field-level diffs.
public enum ValueFlattener {
    /// Leaves of `value` under `prefix`. Lists of scalars stay one leaf: `[a, b]`.
    public static func leaves(_ value: Value, prefix: String = "") -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        flatten(value, prefix: prefix, into: &out)
        return out
    }

    private static func flatten(_ value: Value, prefix: String, into out: inout [(String, String)]) {
        switch value {
        case .object(let members):
            if members.isEmpty { out.append((prefix, "{}")); return }
            for key in members.keys.sorted() {
                flatten(members[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out)
            }
        case .list(let items):
            if items.allSatisfy({ $0.isScalar }) {
                out.append((prefix, "[" + items.map(display).joined(separator: ", ") + "]"))
            } else {
                for (index, item) in items.enumerated() { flatten(item, prefix: "\(prefix)[\(index)]", into: &out) }
            }
        default:
            out.append((prefix, display(value)))
        }
    }

    /// The display text of a scalar.
    public static func display(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return "\(number)"
        case .string(let text): return text
        case .list, .object: return CanonicalJSON.string(value)
        }
    }
}

extension Value {
    /// Whether the value is neither a list nor an object.
    var isScalar: Bool {
        switch self {
        case .list, .object: return false
        default: return true
        }
    }
}
