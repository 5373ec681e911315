/// One configuration file as read from disk: its path relative to the configuration
/// directory, the path shown in diagnostics, its text and its digest.
public struct ConfigFile: Hashable, Sendable {
    /// Path relative to the configuration directory: the parse-cache key.
    public var relativePath: String
    /// Path as shown in diagnostics (`channels/mirakl_fr.yaml`).
    public var displayPath: String
    public var text: String
    /// SHA-256 of the text.
    public var digest: String

    public init(relativePath: String, displayPath: String, text: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.text = text
        self.digest = Hashing.sha256Hex(text)
    }
}

/// What one file compiles to: its resources and the diagnostics that concern only it.
public struct CompiledFile: Hashable, Sendable {
    public var relativePath: String
    public var digest: String
    public var resources: [CompiledResource]
    public var diagnostics: [Diagnostic]

    public init(relativePath: String, digest: String, resources: [CompiledResource], diagnostics: [Diagnostic]) {
        self.relativePath = relativePath
        self.digest = digest
        self.resources = resources
        self.diagnostics = diagnostics
    }
}
