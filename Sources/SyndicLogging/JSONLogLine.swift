import Foundation
import Logging
import SyndicCore

/// A log event as one JSON object on one line: `timestamp` (UTC, milliseconds),
/// `level`, `message`, then the metadata (`run`, `channel` and `job` first where the line
/// is about a run). Integers and booleans stay numbers and booleans; secrets are taken out.
enum JSONLogLine {
    static func render(_ fields: LogFields) -> String {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("timestamp"); json.date(fields.timestamp)
        json.key("level"); json.string(fields.level.rawValue)
        json.key("message"); json.string(fields.message)
        for (key, value) in fields.metadata where !["timestamp", "level", "message"].contains(key) {
            json.key(text: key)
            write(value, key: key, into: &json)
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func write(_ value: Logger.MetadataValue, key: String, into json: inout JSONWriter) {
        switch value {
        case .string(let text):
            // A run's id is a number, whichever way it was given.
            if key == "run", let number = Int64(text) { json.int(number) } else { json.string(text) }
        case .stringConvertible(let convertible):
            switch convertible {
            case let flag as Bool: json.bool(flag)
            case let number as any BinaryInteger:
                if let exact = Int64(exactly: number) { json.int(exact) } else { json.string(convertible.description) }
            case let number as Double where number.isFinite: json.double(number)
            default: json.string(convertible.description)
            }
        case .array(let values):
            json.beginList()
            for value in values { write(value, key: "", into: &json) }
            json.endList()
        case .dictionary(let entries):
            json.beginObject()
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                json.key(text: name)
                write(value, key: name, into: &json)
            }
            json.endObject()
        }
    }
}
