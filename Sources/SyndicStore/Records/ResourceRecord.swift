import GRDB

/// A row of `resource`: one applied resource.
struct ResourceRecord: Codable, Hashable {
    var kind: String
    var name: String
    var type: String
    var spec: String
    var labels: String
    var sourceFile: String
    var createdSerial: Int
    var updatedSerial: Int

    enum Columns {
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
    }
}

extension ResourceRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "resource"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}
