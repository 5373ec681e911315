import Foundation
import Testing
@testable import SyndicCore

/// Hostile files are refused at once, located, before any document is built.
struct DocumentLimitsTests {
    /// A "billion laughs": nine aliases of nine aliases, ten levels — 3.5 billion values
    /// from 700 bytes. Used as a mapping key too, where building the document would hash it.
    static func bomb(asKey: Bool) -> String {
        var lines = ["apiVersion: syndic/v1", "kind: Channel", "metadata: {name: x}", "bomb:",
                     "  x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("  x\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]")
        }
        lines += asKey ? ["  ? *a9", "  : x", "spec: {type: flat-file}"]
                       : ["spec:", "  type: flat-file", "  products:", "    filter:",
                          "      attributes: [{attribute: brand, operator: IN, value: *a9}]"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [false, true])
    func anAliasBombIsRefusedWhereItCrossesTheBound(_ asKey: Bool) {
        let file = ConfigFile(relativePath: "bomb.yaml", displayPath: "channels/bomb.yaml", text: Self.bomb(asKey: asKey))
        let started = Date()
        let compiled = DocumentCompiler.compile(file)
        #expect(Date().timeIntervalSince(started) < 5, "the check costs one pass over the text")
        #expect(compiled.resources.isEmpty)
        #expect(compiled.diagnostics.count == 1)
        let diagnostic = compiled.diagnostics.first?.description ?? ""
        #expect(diagnostic.hasPrefix("channels/bomb.yaml:"), "\(diagnostic)")
        #expect(diagnostic.contains("expands to more than 200000 values"), "\(diagnostic)")
        // Located at the alias that crossed the bound, on one of the anchor lines.
        #expect(DocumentLimits.problem(Self.bomb(asKey: asKey))?.line ?? 0 >= 8)
    }

    @Test func aliasesWithinTheBoundAreFine() {
        let text = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: shop}
            spec:
              type: flat-file
              products:
                filter: &f {enabled: true}
            ---
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: other}
            spec: {type: flat-file}

            """
        #expect(DocumentLimits.problem(text) == nil)
    }

    @Test func countingFollowsTheAnchors() {
        // r = the list, x, l (the list, a, b: 3), and l twice more through aliases: 11 values;
        // the document: the mapping, two keys, r, and r again through *r: 25.
        let text = "root: &r [x, &l [a, b], *l, *l]\nother: *r\n"
        #expect(DocumentLimits.problem(text, maxNodes: 25) == nil)
        #expect(DocumentLimits.problem(text, maxNodes: 24) != nil)
    }

    @Test func deepNestingIsRefused() {
        let text = "a: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"
        let problem = DocumentLimits.problem(text)
        #expect(problem?.message == "the document nests more than 128 levels deep")
        #expect(problem?.line == 1)
    }

    @Test func aFileOverTheSizeLimitIsRefusedWithoutParsing() {
        let text = "# " + String(repeating: "x", count: DocumentLimits.maxFileBytes) + "\n"
        let compiled = DocumentCompiler.compile(ConfigFile(relativePath: "big.yaml", displayPath: "channels/big.yaml", text: text))
        #expect(compiled.diagnostics.map(\.description).first?.hasPrefix("channels/big.yaml:1:1: error: the file is") == true)
    }
}
