import Foundation
import GRDB

/// A row of `suspension`: an operator's emergency stop of one channel.
struct SuspensionRecord: Codable, Hashable {
    var channel: String
    var reason: String
    var suspendedBy: String
    var suspendedAt: Date

    enum Columns {
        static let channel = Column(CodingKeys.channel)
    }
}

extension SuspensionRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "suspension"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}
