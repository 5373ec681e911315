import SyndicCore

/// Renders diagnostics the way compilers do: `file:line:col: error: message (hint)`.
enum DiagnosticsView {
    static func render(_ diagnostic: Diagnostic) -> String { diagnostic.description }
}
