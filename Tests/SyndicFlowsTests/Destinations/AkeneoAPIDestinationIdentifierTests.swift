import Foundation
import SyndicCore
import Testing
@testable import SyndicFlows

/// Which identifier an akeneo-api product is written under (a dry run: the request bodies
/// are kept as products.jsonl).
@Suite struct AkeneoAPIDestinationIdentifierTests {
    static func body(targets: [String], rows: [([String], String?)]) throws -> (String, [String]) {
        let destination = try AkeneoAPIDestination(client: nil, targets: targets, separator: "<###>", batchSize: 2)
        for (index, (row, identifier)) in rows.enumerated() {
            try destination.add(row, key: "uuid-\(index)", identifier: identifier)
        }
        let outcome = try destination.finish()
        let body = try #require(outcome.artifacts.first { $0.name == "products.jsonl" })
        return (String(decoding: body.content, as: UTF8.self), outcome.refusedKeys)
    }

    @Test func anIdentifierTargetNamesTheProductElseTheSourceIdentifier() throws {
        let (body, refused) = try Self.body(targets: ["identifier", "name~en_US"], rows: [
            (["TARGET-1", "Shoe"], "SOURCE-1"),
            (["", "Bag"], "SOURCE-2"),
            (["", "Belt"], nil),
        ])
        #expect(body.contains(#""identifier":"TARGET-1""#))
        #expect(!body.contains("SOURCE-1"))
        #expect(body.contains(#""identifier":"SOURCE-2""#))
        #expect(!body.contains("Belt"))
        #expect(refused == ["uuid-2"])
    }
}
