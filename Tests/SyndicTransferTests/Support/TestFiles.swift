import Foundation

/// Large files for the streaming tests, compared chunk by chunk, and the process's memory.
enum TestFiles {
    private static let chunk = 1 << 20

    /// Writes `mebibytes` MiB at `file`, each MiB different from the others.
    static func make(at file: URL, mebibytes: Int) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        for index in 0..<mebibytes {
            let line = Data("chunk \(index) of a large export file;".utf8)
            var block = Data(capacity: chunk)
            while block.count + line.count <= chunk { block += line }
            block += Data(repeating: UInt8(index % 256), count: chunk - block.count)
            try handle.write(contentsOf: block)
        }
    }

    /// Whether `a` and `b` hold the same bytes, read a chunk at a time.
    static func same(_ a: URL, _ b: URL) throws -> Bool {
        let first = try FileHandle(forReadingFrom: a), second = try FileHandle(forReadingFrom: b)
        defer {
            try? first.close()
            try? second.close()
        }
        while true {
            let left = try first.read(upToCount: chunk) ?? Data(), right = try second.read(upToCount: chunk) ?? Data()
            if left != right { return false }
            if left.isEmpty { return true }
        }
    }

    /// The most memory the process has held so far, in bytes.
    static var peakResidentBytes: Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024  // kilobytes on Linux, bytes on Darwin
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss
        #endif
    }
}
