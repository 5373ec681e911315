import Foundation
import Testing
@testable import SyndicFlows

/// The one reader of catalog files: lines and their numbers the same whether read line by
/// line or in blocks split by `forEachLine(in:)`, and how many bytes of the file it handed
/// on, up to the file's size.
@Suite struct CatalogLineReaderTests {
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let text = "{\"identifier\":\"A\"}\r\n\n   \n{\"identifier\":\"B\",\"name\":\"" + String(repeating: "x", count: 150)
        + "\"}\n\t\n{\"identifier\":\"C\"}"

    /// Lines read one by one, numbered.
    static func lines(_ reader: CatalogLineReader) throws -> [String] {
        var seen: [String] = []
        try reader.forEachLine { text, number in seen.append("\(number): " + String(decoding: text, as: UTF8.self)) }
        return seen
    }

    /// Lines of the blocks, split as the export's workers split them.
    static func blockLines(_ reader: CatalogLineReader) throws -> [String] {
        var seen: [String] = []
        var lines = 0
        try reader.forEachBlock(fresh: { ByteBlock(capacity: $0) }) { block in
            lines += CatalogLineReader.forEachLine(in: block.bytes, after: lines) { text, number in
                seen.append("\(number): " + String(decoding: text, as: UTF8.self))
            }
        }
        return seen
    }

    @Test(arguments: [8, 32, 4096])
    func linesAndNumbersAreTheSameBothWays(blockSize: Int) throws {
        let path = try Self.file(Array(Self.text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = CatalogLineReader(path: path, blockSize: blockSize)
        let expected = ["1: {\"identifier\":\"A\"}",
                        "4: {\"identifier\":\"B\",\"name\":\"" + String(repeating: "x", count: 150) + "\"}",
                        "6: {\"identifier\":\"C\"}"]
        #expect(try Self.lines(reader) == expected)
        #expect(try Self.blockLines(reader) == expected)
    }

    /// The bytes handed on grow block by block and end at the file's size, the byte order
    /// mark counted; the size is told from the start.
    @Test(arguments: [8, 64, 4096])
    func theBytesHandedOnEndAtTheFilesSize(blockSize: Int) throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)
        let path = try Self.file(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let told = ToldBytes()
        var reader = CatalogLineReader(path: path, blockSize: blockSize)
        reader.consumed = { handed, size in told.values.append((handed, size)) }
        var lines = 0
        try reader.forEachLine { _, _ in lines += 1 }
        #expect(lines == 3)
        #expect(told.values.first.map { $0.0 } == 0)
        #expect(told.values.allSatisfy { $0.1 == bytes.count })
        #expect(told.values.last.map { $0.0 } == bytes.count)
        let handed = told.values.map { $0.0 }
        #expect(handed == handed.sorted())
        // Smaller than the file: something was handed on before its end.
        if blockSize < bytes.count { #expect(handed.count >= 3, "\(handed)") }
        // Every count but the last ends a line: the lines handed on are whole.
        for count in handed.dropFirst().dropLast() where count > 0 {
            #expect(bytes[count - 1] == 0x0A, "\(count)")
        }
    }

    /// The line ends the reading thread marks split a block as the workers' own search does:
    /// the same lines and numbers, blank lines counted but skipped, a carriage return before
    /// the newline dropped, a last line without its newline; a block taken again is unmarked.
    @Test(arguments: [("", 0), ("a", 1), ("a\n", 1), ("a\n\n b", 3), ("x\r\n\t \r\ny\r", 3), (Self.text, 6)])
    func markedLineEndsSplitABlockAsTheSearchDoes(_ text: String, lines: Int) {
        let bytes = Array(text.utf8)
        let block = ByteBlock(capacity: max(bytes.count, 1))
        block.base.copyMemory(from: bytes, byteCount: bytes.count)
        block.count = bytes.count
        var searched: [String] = []
        let searchedCount = CatalogLineReader.forEachLine(in: block.bytes, after: 5) { line, number in
            searched.append("\(number): \(String(decoding: line, as: UTF8.self))")
        }
        #expect(CatalogLineReader.markLineEnds(block) == lines)
        #expect(block.lineEnds != nil)
        var split: [String] = []
        let splitCount = CatalogLineReader.forEachLine(in: block, after: 5) { line, number in
            split.append("\(number): \(String(decoding: line, as: UTF8.self))")
        }
        #expect(searchedCount == lines)
        #expect(splitCount == lines)
        #expect(split == searched)
        var spare = [block]
        #expect(ByteBlock.take(from: &spare, minimum: 1).lineEnds == nil)
    }

    @Test func aMissingFileIsAConfigurationErrorNamingIt() {
        let reader = CatalogLineReader(path: "/nonexistent/catalog.jsonl")
        #expect {
            try reader.forEachLine { _, _ in }
        } throws: { error in
            "\(error)".contains("cannot open the catalog file /nonexistent/catalog.jsonl")
        }
    }

    /// What the reader told, in order.
    final class ToldBytes {
        var values: [(Int, Int)] = []
    }
}
