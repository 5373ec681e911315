import Foundation
import SyndicCore
import NIOCore
import PostgresNIO

/// A value a statement binds to a parameter: integers (int8), text, doubles, booleans,
/// dates (timestamptz) and bytes (bytea). `nil` binds NULL.
public protocol PGBind: Sendable {
    func bind(into bindings: inout PostgresBindings)
}

extension Int: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}
extension Int64: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}
extension String: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Substring: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(String(self)) }
}
extension Double: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Bool: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Date: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Data: PGBind {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(ByteBuffer(bytes: self)) }
}
extension Array: PGBind where Element == UInt8 {
    public func bind(into bindings: inout PostgresBindings) { bindings.append(ByteBuffer(bytes: self)) }
}
extension Optional: PGBind where Wrapped: PGBind {
    public func bind(into bindings: inout PostgresBindings) {
        if let value = self { value.bind(into: &bindings) } else { bindings.appendNull() }
    }
}

/// Statement text: `?` placeholders (outside quotes) become `$1`, `$2`, … so that statements
/// read like their SQLite twins.
enum PGStatement {
    static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var quoted = false
        var number = 0
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
