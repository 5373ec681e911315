import Foundation
import Testing
@testable import SyndicCore

struct JSONSchemaWriterTests {
    /// The schema parsed by Foundation, as editors would read it.
    static func schema() throws -> [String: Any] {
        let text = JSONSchemaWriter.schema()
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    static func object(_ value: Any?, _ path: String) throws -> [String: Any] {
        try #require(value as? [String: Any], "\(path) is not an object")
    }

    @Test func outputParsesAsJSONAndAsCanonicalJSON() throws {
        let text = JSONSchemaWriter.schema()
        #expect(text.hasPrefix("{\n  \""))
        _ = try Self.schema()
        let value = try CanonicalJSON.parse(text)
        #expect(value["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
        #expect(value["title"]?.stringValue == "syndic resource (apiVersion syndic/v1)")
    }

    @Test func documentIsAClosedObjectWithTheFourRequiredKeys() throws {
        let schema = try Self.schema()
        #expect(schema["type"] as? String == "object")
        #expect(schema["additionalProperties"] as? Bool == false)
        #expect(schema["required"] as? [String] == ["apiVersion", "kind", "metadata", "spec"])
        let properties = try Self.object(schema["properties"], "properties")
        #expect(Set(properties.keys) == ["apiVersion", "kind", "metadata", "spec"])
        let apiVersion = try Self.object(properties["apiVersion"], "apiVersion")
        #expect(apiVersion["enum"] as? [String] == ["syndic/v1"])
        let kind = try Self.object(properties["kind"], "kind")
        #expect(kind["enum"] as? [String] == ["Connection", "Channel", "Notification"])
        let metadata = try Self.object(properties["metadata"], "metadata")
        #expect(metadata["additionalProperties"] as? Bool == false)
        #expect(metadata["required"] as? [String] == ["name"])
        let name = try Self.object(try Self.object(metadata["properties"], "metadata.properties")["name"], "name")
        #expect(name["pattern"] as? String == "^[a-z0-9_]+$")
    }

    @Test func definesEachKindsSpecSelectedByKind() throws {
        let schema = try Self.schema()
        let defs = try Self.object(schema["$defs"], "$defs")
        #expect(Set(defs.keys) == ["ChannelSpec", "ConnectionSpec", "NotificationSpec"])
        let allOf = try #require(schema["allOf"] as? [[String: Any]])
        #expect(allOf.count == 3)
        let refs = try allOf.map { rule -> String in
            let then = try Self.object(rule["then"], "then")
            let spec = try Self.object(try Self.object(then["properties"], "then.properties")["spec"], "spec")
            return try #require(spec["$ref"] as? String)
        }
        #expect(refs == ["#/$defs/ConnectionSpec", "#/$defs/ChannelSpec", "#/$defs/NotificationSpec"])
        let consts = try allOf.map { rule -> String in
            let condition = try Self.object(try Self.object(rule["if"], "if")["properties"], "if.properties")
            return try #require(try Self.object(condition["kind"], "kind")["const"] as? String)
        }
        #expect(consts == ["Connection", "Channel", "Notification"])
    }

    @Test func channelSpecIsClosedWithTheTypeEnumRequired() throws {
        let defs = try Self.object(try Self.schema()["$defs"], "$defs")
        let channel = try Self.object(defs["ChannelSpec"], "ChannelSpec")
        #expect(channel["type"] as? String == "object")
        #expect(channel["additionalProperties"] as? Bool == false)
        #expect(channel["required"] as? [String] == ["type"])
        let properties = try Self.object(channel["properties"], "ChannelSpec.properties")
        #expect(Set(properties.keys) == ["type", "status", "timezone", "endpoint", "shopId", "marketplaceId", "tokenEndpoint",
                                         "credentials", "source", "products", "orders", "logs"])
        let type = try Self.object(properties["type"], "type")
        #expect(type["enum"] as? [String] == ["mirakl", "amazon-seller", "flat-file", "akeneo-api"])
        let status = try Self.object(properties["status"], "status")
        #expect(status["enum"] as? [String] == ["active", "inactive"])

        // Nested objects are closed too, and secrets take exactly one of env or file.
        let products = try Self.object(properties["products"], "products")
        #expect(products["additionalProperties"] as? Bool == false)
        let credentials = try Self.object(properties["credentials"], "credentials")
        let secret = try Self.object(credentials["additionalProperties"], "credentials.additionalProperties")
        #expect(secret["maxProperties"] as? Int == 1)
        #expect(secret["minProperties"] as? Int == 1)
        #expect(secret["additionalProperties"] as? Bool == false)
        #expect(Set(try Self.object(secret["properties"], "secret.properties").keys) == ["env", "file"])

        // A mapping value is either an expression string or the object form.
        let mapping = try Self.object(try Self.object(products["properties"], "products.properties")["mapping"], "mapping")
        let value = try Self.object(mapping["additionalProperties"], "mapping.additionalProperties")
        let oneOf = try #require(value["oneOf"] as? [[String: Any]])
        #expect(oneOf.map { $0["type"] as? String } == ["string", "object"])
    }

    @Test func connectionSpecListsItsTypes() throws {
        let defs = try Self.object(try Self.schema()["$defs"], "$defs")
        let connection = try Self.object(defs["ConnectionSpec"], "ConnectionSpec")
        #expect(connection["additionalProperties"] as? Bool == false)
        let properties = try Self.object(connection["properties"], "ConnectionSpec.properties")
        let type = try Self.object(properties["type"], "type")
        #expect(type["enum"] as? [String] == ["akeneo", "catalog-file", "ftp", "ftps", "sftp", "local"])
        let port = try Self.object(properties["port"], "port")
        #expect(port["type"] as? String == "integer")
        #expect(port["minimum"] as? Int == 1)
        #expect(port["maximum"] as? Int == 65535)
    }

    @Test func schemaIsDeterministic() {
        #expect(JSONSchemaWriter.schema() == JSONSchemaWriter.schema())
    }

    @Test func prettyJSONIndentsAndSortsKeys() {
        let value = Value.object(["b": .list([.int(1), .object([:])]), "a": .object(["x": .string("y")]), "c": .list([])])
        #expect(PrettyJSON.string(value) == """
            {
              "a": {
                "x": "y"
              },
              "b": [
                1,
                {}
              ],
              "c": []
            }
            """)
    }
}
