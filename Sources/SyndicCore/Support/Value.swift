/// A JSON-like value: the normalized form of a resource spec after schema checking.
///
/// Specs are stored, compared and diffed as `Value`s; typed specs are decoded from them.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case object([String: Value])

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> Value? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value at a dotted key path such as `products.export.schedule`.
    public func value(at path: String) -> Value? {
        var current: Value? = self
        for key in path.split(separator: ".") {
            current = current?[String(key)]
        }
        return current
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var intValue: Int? {
        if case .int(let number) = self { return number }
        return nil
    }

    public var listValue: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }

    public var objectValue: [String: Value]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

// MARK: - Codable

extension Value: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([Value].self) {
            self = .list(items)
        } else {
            self = .object(try container.decode([String: Value].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }
}

// MARK: - Editing

extension Value {
    /// A copy with the value at a dotted key path replaced (objects on the way are created).
    public func setting(_ path: String, to value: Value) -> Value {
        var keys = path.split(separator: ".").map(String.init)
        guard !keys.isEmpty else { return value }
        let first = keys.removeFirst()
        var members = objectValue ?? [:]
        members[first] = keys.isEmpty ? value : (members[first] ?? .object([:])).setting(keys.joined(separator: "."), to: value)
        return .object(members)
    }
}
