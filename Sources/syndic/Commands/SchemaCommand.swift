import ArgumentParser
import SyndicCore

/// `syndic schema`: the JSON Schema of the configuration files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of syndic's YAML files.",
        discussion: "Save it and add `# yaml-language-server: $schema=PATH` at the top of a file.")

    func run() throws {
        Output.print(JSONSchemaWriter.schema())
    }
}
