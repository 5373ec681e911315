import ArgumentParser

/// How a command that reads the state prints it: text for people, or a versioned JSON
/// document for scripts (docs/json.md).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
