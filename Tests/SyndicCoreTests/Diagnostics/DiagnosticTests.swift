import Testing
@testable import SyndicCore

struct DiagnosticTests {
    static let here = SyndicCore.SourceLocation(file: "channels/a.yaml", line: 3, column: 7)

    @Test(arguments: [
        (Diagnostic.error("bad", at: here), "channels/a.yaml:3:7: error: bad"),
        (.warning("careful", at: here, hint: "do this"), "channels/a.yaml:3:7: warning: careful (do this)"),
        (.error("no place", at: nil), "error: no place"),
        (.error("no place", at: nil, hint: "h"), "error: no place (h)"),
    ])
    func rendersLikeACompiler(_ diagnostic: Diagnostic, _ text: String) {
        #expect(diagnostic.description == text)
    }

    @Test func sortsByFileLineColumnThenMessage() {
        func at(_ file: String, _ line: Int, _ column: Int) -> SyndicCore.SourceLocation {
            SourceLocation(file: file, line: line, column: column)
        }
        let diagnostics: [Diagnostic] = [
            .error("z", at: at("b.yaml", 1, 1)),
            .error("b", at: at("a.yaml", 10, 1)),
            .warning("a", at: at("a.yaml", 10, 1)),
            .error("c", at: at("a.yaml", 2, 30)),
            .error("d", at: at("a.yaml", 2, 4)),
            .error("unlocated", at: nil),
        ]
        #expect(diagnostics.sortedForDisplay().map(\.message) == ["unlocated", "d", "c", "a", "b", "z"])
    }

    @Test func hasErrorsIgnoresWarnings() {
        #expect(![Diagnostic.warning("w", at: nil)].hasErrors)
        #expect([Diagnostic.warning("w", at: nil), .error("e", at: nil)].hasErrors)
        #expect(![Diagnostic]().hasErrors)
    }

    @Test func cacheJSONRoundTripsAndRelocatesToTheDisplayPath() {
        let diagnostics: [Diagnostic] = [
            .warning("delta \"quoted\"", at: Self.here, hint: "a hint"),
            .error("no hint", at: SourceLocation(file: "channels/a.yaml", line: 9, column: 1)),
            .error("unlocated", at: nil),
        ]
        let json = Diagnostic.cacheJSON(diagnostics)
        #expect(!json.contains("channels/a.yaml"))
        let restored = Diagnostic.fromCacheJSON(json, file: "/elsewhere/a.yaml")
        #expect(restored.map(\.description) == [
            #"/elsewhere/a.yaml:3:7: warning: delta "quoted" (a hint)"#,
            "/elsewhere/a.yaml:9:1: error: no hint",
            "error: unlocated",
        ])
        #expect(Diagnostic.fromCacheJSON("not json", file: "x").isEmpty)
    }
}
