import Foundation
import Testing
@testable import SyndicFlows

/// The catalog file read line by line and in blocks of whole lines: the same products, in
/// order, whatever the block size — lines longer than a block, CRLF, blank lines, no final
/// newline.
@Suite struct CatalogFileSourceTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let lines = (1...40).map { index in
        "{\"identifier\":\"SKU-\(index)\",\"name\":\"" + String(repeating: "é", count: index * 7) + "\"}"
    }

    /// The products as `forEachProduct` hands them out, with their line numbers.
    static func products(_ source: CatalogFileSource) throws -> [String] {
        var seen: [String] = []
        try source.forEachProduct { text, line in seen.append("\(line): " + String(decoding: text, as: UTF8.self)) }
        return seen
    }

    /// The lines of every block, numbered across blocks, as the export's workers split them.
    static func blockLines(_ source: CatalogFileSource) throws -> [String] {
        var seen: [String] = []
        var line = 0
        try source.forEachBlock(fresh: { ByteBlock(capacity: $0) }) { block in
            #expect(block.count <= block.capacity)
            var text = String(decoding: block.bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            if text.hasSuffix("\n") { text.removeLast() }
            for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
                line += 1
                if !part.trimmingCharacters(in: .whitespaces).isEmpty { seen.append("\(line): \(part)") }
            }
        }
        return seen
    }

    @Test(arguments: [16, 64, 200, 4096])
    func blocksHoldWholeLinesInOrder(blockSize: Int) throws {
        let text = Self.lines[0..<10].joined(separator: "\n") + "\n\n  \n" + Self.lines[10...].joined(separator: "\r\n")
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var source = CatalogFileSource(path: path)
        source.blockSize = blockSize
        let expected = try Self.products(source)
        #expect(expected.count == 40)
        #expect(expected[10].hasPrefix("13: {\"identifier\":\"SKU-11\""))
        #expect(try Self.blockLines(source) == expected)
    }

    /// A file saved with a UTF-8 byte order mark reads its first product, numbered line 1,
    /// both ways; a mark further on is not skipped.
    @Test(arguments: [16, 64, 4096])
    func aByteOrderMarkAtTheStartIsSkipped(blockSize: Int) throws {
        let path = try Self.file("\u{FEFF}" + Self.lines[0..<3].joined(separator: "\r\n") + "\r\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var source = CatalogFileSource(path: path)
        source.blockSize = blockSize
        let products = try Self.products(source)
        #expect(products == Self.lines[0..<3].enumerated().map { "\($0.offset + 1): \($0.element)" })
        #expect(try Self.blockLines(source) == products)
    }

    @Test func aFileOfOnlyAByteOrderMarkHasNoProduct() throws {
        let path = try Self.file("\u{FEFF}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = CatalogFileSource(path: path)
        #expect(try Self.products(source).isEmpty)
        var blocks: [Int] = []
        try source.forEachBlock(fresh: { ByteBlock(capacity: $0) }) { blocks.append($0.count) }
        #expect(blocks.allSatisfy { $0 == 0 })
    }

    @Test func aMissingFileIsAConfigurationError() {
        let source = CatalogFileSource(path: "/nonexistent/catalog.jsonl")
        #expect(throws: FlowError.self) { try source.forEachBlock(fresh: { ByteBlock(capacity: $0) }) { _ in } }
    }
}
