import Foundation
import SyndicCore

/// Reads every `*.yaml` / `*.yml` file under a configuration directory, recursively.
public struct ConfigDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Errors reading the directory itself.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The files, sorted by relative path. Hidden files and folders are skipped.
    public func readFiles() throws -> [ConfigFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReadError(description: "configuration directory \(path) does not exist (pass --dir)")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw ReadError(description: "cannot read configuration directory \(path)")
        }
        var relativePaths: [String] = []
        while let entry = enumerator.nextObject() as? String {
            if entry.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") { relativePaths.append(entry) }
        }
        relativePaths.sort()
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let read = Parallel.map(relativePaths) { relative -> Result<ConfigFile, ReadError> in
            let display = "\(base)/\(relative)"
            guard let data = FileManager.default.contents(atPath: display) else {
                return .failure(ReadError(description: "cannot read \(display)"))
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return .success(ConfigFile(relativePath: relative, displayPath: display, text: text))
        }
        return try read.map { try $0.get() }
    }

    /// The path of a file relative to this directory, as shown in diagnostics.
    public func displayPath(_ relative: String) -> String {
        (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + relative
    }
}

