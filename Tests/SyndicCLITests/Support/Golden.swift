import Foundation
import Testing

/// Whole-output comparisons with files under Golden/. `SYNDIC_UPDATE_GOLDEN=1` rewrites them.
enum Golden {
    /// Compares `actual` (after masking per-state random values) with Golden/`name`.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let masked = mask(actual)
        let url = Workspace.testsDirectory.appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["SYNDIC_UPDATE_GOLDEN"] == "1" {
            try Data(masked.utf8).write(to: url)
            return
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("Golden/\(name) is missing: run the tests once with SYNDIC_UPDATE_GOLDEN=1 to write it, then review it",
                         sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(masked == expected, "output differs from Golden/\(name); rerun with SYNDIC_UPDATE_GOLDEN=1 to review",
                sourceLocation: sourceLocation)
    }

    /// Masks values that depend on the state's random salt or the scratch path.
    static func mask(_ text: String) -> String {
        var out = text
        out = out.replacingOccurrences(of: #"fingerprint [0-9a-f]{8}"#, with: "fingerprint ########",
                                       options: .regularExpression)
        out = out.replacingOccurrences(of: ##""fingerprints_digest" : "[0-9a-f]{64}""##,
                                       with: ##""fingerprints_digest" : "(masked)""##, options: .regularExpression)
        out = out.replacingOccurrences(of: #"/tmp/syndic-cli-[0-9A-F-]+"#, with: "$WORKSPACE", options: .regularExpression)
        return out
    }
}
