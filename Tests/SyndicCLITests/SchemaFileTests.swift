import Foundation
import Testing

/// The committed editor schema matches what `syndic schema` prints.
@Suite struct SchemaFileTests {
    @Test func committedSchemaIsCurrent() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.syndic.run(["schema"])
        let committed = try String(contentsOf: ExamplesTests.repository.appendingPathComponent("docs/syndic.schema.json"),
                                   encoding: .utf8)
        #expect(result.stdout == committed, "run: syndic schema > docs/syndic.schema.json")
    }
}
