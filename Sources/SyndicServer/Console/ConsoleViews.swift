import Foundation
import Mustache

/// The console's templates and assets, read once when the server starts from the module's
/// resources (`Console/Templates/*.mustache`, `Console/Assets`). Pages are plain structs of
/// display strings; the templates only print them (`{{name}}` escapes HTML).
struct ConsoleViews: Sendable {
    /// Every template the console renders; each must be present at startup.
    static let templateNames = [
        "layout", "run-table", "login", "error", "channels", "channel", "runs", "run", "orders", "order",
    ]

    let library: MustacheLibrary
    /// `/console.css`.
    let stylesheet: String
    /// `/console.js`: the order page's copy button (the page works without it).
    let script: String

    /// Why the console cannot start.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads the templates and assets of this build.
    static func load() async throws -> ConsoleViews {
        guard let templates = folder("Templates"), let assets = folder("Assets") else {
            throw LoadError(description: "the web console's templates and assets are missing from this build "
                            + "(resources Console/Templates and Console/Assets of SyndicServer)")
        }
        return try await load(templates: templates, assets: assets)
    }

    /// A folder of the module's resources.
    private static func folder(_ name: String) -> URL? {
        let url = Bundle.module.url(forResource: name, withExtension: nil)
            ?? Bundle.module.resourceURL?.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard let url, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return url
    }

    /// Loads templates from `templates` and assets from `assets`; a missing or invalid
    /// template is an error naming it.
    static func load(templates: URL, assets: URL) async throws -> ConsoleViews {
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templates.path, withExtension: "mustache")
        } catch let error as MustacheLibrary.ParserError {
            throw LoadError(description: "the console template \(error.filename) does not parse: line \(error.context.lineNumber), "
                            + "column \(error.context.columnNumber): \(error.error)")
        }
        let missing = templateNames.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else {
            throw LoadError(description: "the web console cannot start: templates missing from \(templates.path): "
                            + missing.map { $0 + ".mustache" }.joined(separator: ", "))
        }
        func asset(_ name: String) throws -> String {
            let url = assets.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LoadError(description: "the web console cannot start: \(url.path) is missing")
            }
            return text
        }
        return ConsoleViews(library: library, stylesheet: try asset("console.css"), script: try asset("console.js"))
    }

    /// The HTML of a page.
    func render(_ template: String, _ page: Any) -> String {
        // Every name was checked at startup.
        library.render(page, withTemplate: template) ?? ""
    }
}
