import Foundation
import GRDB

/// A row of `revision`: one serial of the state (an apply, a suspend or a resume).
struct RevisionRecord: Codable, Hashable {
    var serial: Int
    /// `apply`, `suspend` or `resume`.
    var operation: String
    var at: Date
    var user: String
    var gitCommit: String?
    var configDigest: String?

    enum Columns {
        static let serial = Column(CodingKeys.serial)
    }
}

extension RevisionRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "revision"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

/// A row of `revision_change`: one field one revision changed.
struct RevisionChangeRecord: Codable, Hashable {
    var serial: Int
    var position: Int
    var address: String
    var action: String
    var field: String?
    var before: String?
    var after: String?

    enum Columns {
        static let serial = Column(CodingKeys.serial)
        static let address = Column(CodingKeys.address)
        static let position = Column(CodingKeys.position)
    }
}

extension RevisionChangeRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "revision_change"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}
