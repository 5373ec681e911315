import Foundation
import SyndicCore

/// Compiles configuration files, reusing the parse cache for files whose digest did not
/// change and parsing the others in parallel.
public enum ConfigCompiler {
    /// Compiled files in the order given.
    public static func compile(_ files: [ConfigFile], cache: [String: CompiledFile]) -> [CompiledFile] {
        var results = [CompiledFile?](repeating: nil, count: files.count)
        var misses: [Int] = []
        for (index, file) in files.enumerated() {
            if let cached = cache[file.relativePath], cached.digest == cacheKey(file) {
                results[index] = cached
            } else {
                misses.append(index)
            }
        }
        let compiled = Parallel.map(misses.map { files[$0] }) { file in
            var compiled = DocumentCompiler.compile(file)
            compiled.digest = cacheKey(file)
            return compiled
        }
        for (slot, index) in misses.enumerated() { results[index] = compiled[slot] }
        return results.map { $0! }
    }

    /// The parse-cache key of a file: its digest under this version of the checks, so that
    /// an upgrade re-checks files that did not change.
    static func cacheKey(_ file: ConfigFile) -> String {
        "\(DocumentCompiler.rulesVersion):\(file.digest)"
    }

    /// A digest of the whole configuration: every file's path and digest.
    public static func digest(_ files: [ConfigFile]) -> String {
        Hashing.sha256Hex(files.map { "\($0.relativePath)\u{0}\($0.digest)" }.joined(separator: "\n"))
    }
}
