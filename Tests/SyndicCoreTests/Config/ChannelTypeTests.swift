import Foundation
import Testing
@testable import SyndicCore

/// Channel types: the names the YAML and the schema use, parsing, and what each type allows.
@Suite struct ChannelTypeTests {
    /// The channel types as the YAML writes them, in the order messages list them.
    static let written = ["mirakl", "amazon-seller", "flat-file", "akeneo-api"]

    /// The values the schema accepts for `spec.type` of `schema`.
    static func typeValues(of schema: ObjectSchema) -> [String]? {
        guard case .string(let string)? = schema.field("type")?.node else { return nil }
        return string.values
    }

    /// The types for which `property` holds.
    static func types(where property: (ChannelType) -> Bool) -> Set<ChannelType> {
        Set(ChannelType.allCases.filter(property))
    }

    @Test func theSchemaListsEveryTypeByItsWrittenName() {
        #expect(ChannelType.allCases.map(\.rawValue) == Self.written)
        #expect(ResourceSchemas.channelTypes == Self.written)
        #expect(Self.typeValues(of: ResourceSchemas.channel) == Self.written)
    }

    @Test(arguments: ChannelTypeTests.written) func everyWrittenTypeParses(_ name: String) throws {
        let type = try #require(ChannelType(rawValue: name))
        #expect(type.rawValue == name)
        #expect(type.description == name)
        #expect("\(type)" == name)
        #expect(ChannelType(of: .object(["type": .string(name)])) == type)
    }

    @Test(arguments: ["", "Mirakl", "amazon", "amazon_seller", "flat_file", "akeneo", "ftp", "webhook", "mirakl "])
    func unknownTypesDoNotParse(_ name: String) {
        #expect(ChannelType(rawValue: name) == nil)
        #expect(ChannelType(of: .object(["type": .string(name)])) == nil)
    }

    @Test func aSpecWithoutAStringTypeNamesNoType() {
        #expect(ChannelType(of: .object([:])) == nil)
        #expect(ChannelType(of: .object(["type": .int(1)])) == nil)
        #expect(ChannelType(of: .object(["type": .list([.string("mirakl")])])) == nil)
        #expect(ChannelType(of: .string("mirakl")) == nil)
    }

    @Test func specsDecodeAndEncodeTheWrittenName() throws {
        let spec = try ValueDecoding.decode(ChannelSpec.self, fromJSON: #"{"type": "amazon-seller"}"#)
        #expect(spec.type == .amazonSeller)
        let encoded = String(decoding: try JSONEncoder().encode(ChannelType.flatFile), as: UTF8.self)
        #expect(encoded == #""flat-file""#)
        #expect(throws: (any Error).self) {
            _ = try ValueDecoding.decode(ChannelSpec.self, fromJSON: #"{"type": "amazon"}"#)
        }
    }

    @Test func onlyMarketplacesTakeOrders() {
        #expect(Self.types(where: \.takesOrders) == [.mirakl, .amazonSeller])
    }

    @Test func typesThatSendProductsThroughAnAPIRequireAnEndpoint() {
        #expect(Self.types(where: \.requiresEndpoint) == [.mirakl, .akeneoAPI])
    }

    @Test func onlyFlatFileChannelsExportToStorageAndReadColumnsByPosition() {
        #expect(Self.types(where: \.exportsToStorage) == [.flatFile])
        #expect(Self.types(where: \.readsColumnsByPosition) == [.flatFile])
        #expect(Self.types(where: { $0.exportsToStorage && $0.requiresEndpoint }).isEmpty)
    }

    @Test func onlyMiraklSyncsRequirements() {
        #expect(Self.types(where: \.syncsRequirements) == [.mirakl])
    }

    @Test func eachTypeTakesItsCredentials() {
        #expect(ResourceSchemas.channelCredentialKeys(of: .mirakl) == ["apiKey"])
        #expect(ResourceSchemas.channelCredentialKeys(of: .amazonSeller) == ["clientId", "clientSecret", "refreshToken"])
        #expect(ResourceSchemas.channelCredentialKeys(of: .akeneoAPI) == ["clientId", "secret", "username", "password"])
        #expect(ResourceSchemas.channelCredentialKeys(of: .flatFile).isEmpty)
    }

    @Test func requirementsSyncIsAvailableOnlyWhereTheTypeSyncsRequirements() {
        for type in ChannelType.allCases {
            let jobs = ChannelJobs.available(in: .object(["type": .string(type.rawValue)]))
            #expect(jobs.contains(.requirementsSync) == type.syncsRequirements, "\(type)")
        }
        #expect(!ChannelJobs.available(in: .object(["type": .string("mirakll")])).contains(.requirementsSync))
    }
}
