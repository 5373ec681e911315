import Foundation
import GRDB

/// A row of `credential`: the salted fingerprint and status of one secret field.
struct CredentialRecord: Codable, Hashable {
    var kind: String
    var name: String
    var path: String
    var fingerprint: String
    /// `unknown` until a job uses it, then `valid` or `invalid`.
    var status: String
    var statusMessage: String?
    var changedAt: Date

    enum Columns {
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
        static let status = Column(CodingKeys.status)
    }
}

extension CredentialRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "credential"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}
