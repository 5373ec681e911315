import Foundation

/// Decodes typed specs from canonical JSON.
public enum ValueDecoding {
    /// Decodes `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, fromJSON json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// Decodes `type` from a value.
    public static func decode<T: Decodable>(_ type: T.Type, from value: Value) throws -> T {
        try decode(type, fromJSON: CanonicalJSON.string(value))
    }
}
