/// Paths and descriptions of storage locations for the flows.
extension StorageLocation {
    /// The URL of `path` on this storage, without credentials, for reports: a local file's
    /// absolute path, or `ftp://host:port/folder/file`.
    public func describe(_ path: String) -> String {
        kind == .local ? serverPath(path) : url(path)
    }

    /// `folder` and `name` joined with one slash.
    public static func path(_ folder: String, _ name: String) -> String { join(folder, name) }
}
