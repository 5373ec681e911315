import Foundation

/// The entry point of a fuzz target built without libFuzzer: runs the target once on every
/// file given, folders read recursively (`swift run fuzz yaml Fuzz/Corpus/yaml`), so that
/// a corpus or a crash file can be replayed in an ordinary build and debugger.
enum FuzzReplay {
    /// Runs `body` on each input `paths` names; exits 2 when none is given.
    static func main(paths: [String], _ body: (UnsafeRawBufferPointer) -> Void) {
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: fuzz TARGET FILE|FOLDER... (runs the fuzz target on each input)\n".utf8))
            exit(2)
        }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(1)
                }
                data.withUnsafeBytes { body($0) }
                count += 1
            }
        }
        print("ran \(count) inputs")
    }

    /// `path` itself, or the regular files under it in name order.
    private static func files(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let names = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return names.sorted().map { "\(path)/\($0)" }.filter { file in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
