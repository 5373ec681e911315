import Foundation

/// Parses the output of `git cat-file --batch`: `<sha> <type> <size>\n<bytes>\n` per object.
enum GitBatch {
    static func blobs(_ data: Data, count: Int) throws -> [Data] {
        let bytes = [UInt8](data)
        var blobs: [Data] = []
        var index = 0
        while blobs.count < count {
            guard let newline = bytes[index...].firstIndex(of: 0x0a) else {
                throw Git.Failure(description: "cat-file: truncated output")
            }
            let header = String(decoding: bytes[index..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]) else {
                throw Git.Failure(description: "cat-file: \(header.joined(separator: " "))")
            }
            let start = newline + 1
            guard start + size <= bytes.count else { throw Git.Failure(description: "cat-file: truncated object") }
            blobs.append(Data(bytes[start..<start + size]))
            index = start + size + 1
        }
        return blobs
    }
}
