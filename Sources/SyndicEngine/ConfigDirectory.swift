import Foundation
import SyndicCore

/// Reads every `*.yaml` / `*.yml` file under a configuration directory, recursively.
public struct ConfigDirectory: Sendable {
    public let path: String
    /// When set, the files are read as they are at this git ref, not from the work tree.
    public let gitRef: String?

    public init(path: String, gitRef: String? = nil) {
        self.path = path
        self.gitRef = gitRef
    }

    /// Errors reading the directory itself.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The files, sorted by relative path. Hidden files and folders are skipped.
    public func readFiles() throws -> [ConfigFile] {
        if let gitRef { return try readFiles(at: gitRef) }
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
            // At most one byte past the limit: a larger file is refused by the compiler
            // without being read whole.
            guard let handle = FileHandle(forReadingAtPath: display),
                  let data = try? handle.read(upToCount: DocumentLimits.maxFileBytes + 1) ?? Data() else {
                return .failure(ReadError(description: "cannot read \(display)"))
            }
            try? handle.close()
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return .success(ConfigFile(relativePath: relative, displayPath: display, text: text))
        }
        return try read.map { try $0.get() }
    }

    /// The files as they are at `ref`, read with one `git cat-file --batch`; the work tree
    /// is not touched.
    func readFiles(at ref: String) throws -> [ConfigFile] {
        guard (try? Git.text(["rev-parse", "--is-inside-work-tree"], in: path)) == "true" else {
            throw ReadError(description: "--git-ref needs the configuration directory \(path) to be in a git work tree")
        }
        do {
            let commit = try GitInfo.of(ref: ref, directory: path).commit
            let prefix = try Git.text(["rev-parse", "--show-prefix"], in: path)
            let listing = String(decoding: try Git.run(["ls-tree", "-r", "--name-only", "--full-name", commit, "--", "."],
                                                       in: path), as: UTF8.self)
            let relativePaths = listing.split(separator: "\n").map(String.init)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .map { String($0.dropFirst(prefix.count)) }
                .filter { !$0.split(separator: "/").contains(where: { $0.hasPrefix(".") }) }
                .sorted()
            let request = relativePaths.map { "\(commit):\(prefix)\($0)\n" }.joined()
            let batch = try Git.run(["cat-file", "--batch"], in: path, input: Data(request.utf8))
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            return try GitBatch.blobs(batch, count: relativePaths.count).enumerated().map { index, data in
                var text = String(decoding: data, as: UTF8.self)
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                return ConfigFile(relativePath: relativePaths[index], displayPath: "\(base)/\(relativePaths[index])", text: text)
            }
        } catch let failure as Git.Failure {
            throw ReadError(description: "cannot read \(path) at \(ref): \(failure)")
        }
    }

    /// The path of a file relative to this directory, as shown in diagnostics.
    public func displayPath(_ relative: String) -> String {
        (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + relative
    }
}

