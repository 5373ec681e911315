import Foundation
import SyndicTestSupport

extension LocalServer {
    /// Starts `Support/Scripts/<script>` of this test target; it must print `port N`.
    convenience init(script: String, arguments: [String] = []) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/\(script)")
        try self.init(python: path, arguments: arguments)
    }
}
