import Foundation
import Testing
@testable import SyndicCore

/// Connection types: the names the YAML and the schema use, parsing, and which types a
/// channel may read products from or use as storage.
@Suite struct ConnectionTypeTests {
    /// The connection types as the YAML writes them, in the order messages list them.
    static let written = ["akeneo", "catalog-file", "ftp", "ftps", "sftp", "local"]

    /// The types a `source.connection` or `storage.connection` reference of `schema` accepts.
    static func allowedTypes(of schema: ObjectSchema) -> [String]? {
        guard case .reference(_, let allowed, _)? = schema.field("connection")?.node else { return nil }
        return allowed
    }

    @Test func theSchemaListsEveryTypeByItsWrittenName() {
        #expect(ConnectionType.allCases.map(\.rawValue) == Self.written)
        #expect(ResourceSchemas.connectionTypes == Self.written)
        guard case .string(let type)? = ResourceSchemas.connection.field("type")?.node else {
            Issue.record("the connection schema has no string type")
            return
        }
        #expect(type.values == Self.written)
    }

    @Test(arguments: ConnectionTypeTests.written) func everyWrittenTypeParses(_ name: String) throws {
        let type = try #require(ConnectionType(rawValue: name))
        #expect(type.rawValue == name)
        #expect("\(type)" == name)
        #expect(ConnectionType(of: .object(["type": .string(name)])) == type)
        let spec = try ValueDecoding.decode(ConnectionSpec.self, fromJSON: #"{"type": "\#(name)"}"#)
        #expect(spec.type == type)
    }

    @Test(arguments: ["", "FTP", "s3", "file", "catalog_file", "mirakl", "flat-file", "sftp:"])
    func unknownTypesDoNotParse(_ name: String) {
        #expect(ConnectionType(rawValue: name) == nil)
        #expect(ConnectionType(of: .object(["type": .string(name)])) == nil)
    }

    @Test func aSpecWithoutAStringTypeNamesNoType() {
        #expect(ConnectionType(of: .object([:])) == nil)
        #expect(ConnectionType(of: .object(["type": .bool(true)])) == nil)
        #expect(throws: (any Error).self) {
            _ = try ValueDecoding.decode(ConnectionSpec.self, fromJSON: #"{"type": "s3"}"#)
        }
    }

    @Test func productSourcesAreThePIMAndTheCatalogFile() {
        #expect(ConnectionType.productSources == [.akeneo, .catalogFile])
        #expect(Set(ConnectionType.allCases.filter(\.isProductSource)) == Set(ConnectionType.productSources))
        #expect(ResourceSchemas.sourceTypes == ["akeneo", "catalog-file"])
        #expect(Self.allowedTypes(of: ResourceSchemas.source) == ["akeneo", "catalog-file"])
    }

    @Test func storagesAreTheLocalDirectoryAndTheFileServers() {
        #expect(ConnectionType.storages == [.local, .ftp, .ftps, .sftp])
        #expect(Set(ConnectionType.allCases.filter(\.isStorage)) == Set(ConnectionType.storages))
        #expect(ResourceSchemas.storageTypes == ["local", "ftp", "ftps", "sftp"])
        #expect(Self.allowedTypes(of: ResourceSchemas.storage) == ["local", "ftp", "ftps", "sftp"])
    }

    @Test func everyTypeIsEitherAProductSourceOrAStorage() {
        for type in ConnectionType.allCases {
            #expect(type.isProductSource != type.isStorage, "\(type)")
        }
    }

    @Test func everyTypeRequiresOnlyKeysItAllows() {
        for type in ConnectionType.allCases {
            let keys = ResourceSchemas.connectionKeys(of: type)
            #expect(!keys.allowed.isEmpty, "\(type)")
            #expect(Set(keys.required).isSubset(of: keys.allowed), "\(type)")
        }
        #expect(ResourceSchemas.connectionKeys(of: .sftp).required == ["host", "username"])
        #expect(ResourceSchemas.connectionKeys(of: .ftps).allowed.contains("caFile"))
        #expect(!ResourceSchemas.connectionKeys(of: .ftp).allowed.contains("caFile"))
        #expect(ResourceSchemas.connectionKeys(of: .catalogFile).allowed == ["path"])
        #expect(ResourceSchemas.connectionKeys(of: .catalogFile).required == ["path"])
    }
}
