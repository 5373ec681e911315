import GRDB

/// A row of `source_file`: a configuration file whose compiled form is cached.
struct SourceFileRecord: Codable, Hashable {
    var path: String
    var digest: String
    /// File-local diagnostics (warnings), JSON.
    var diagnostics: String
}

extension SourceFileRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "source_file"
}

/// A row of `source_resource`: one compiled resource of a cached file.
struct SourceResourceRecord: Codable, Hashable {
    var path: String
    var position: Int
    var kind: String
    var name: String
    var type: String
    var labels: String
    var spec: String
    /// Locations, secrets and references, JSON.
    var facts: String
}

extension SourceResourceRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "source_resource"
}
