import Foundation
import Testing
@testable import SyndicCore

struct ZZProbeTests {
    @Test func probe() throws {
        let dir = "/tmp/tt-probe"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        var out = ""
        for name in names {
            let text = try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8)
            let parts = text.components(separatedBy: "#### FILE\n")
            let files = parts.enumerated().map { i, t in DocumentCompiler.compile(ConfigFile(relativePath: "f\(i).yaml", displayPath: "f\(i).yaml", text: t)) }
            let v = ConfigValidator.validate(files, probe: { s, _ in
                if case .env(let n) = s.reference, n.hasPrefix("UNSET") { return "environment variable \(n) is not set" }
                return nil })
            out += "=== \(name)\n"
            for d in v.diagnostics { out += d.description + "\n" }
            for r in v.resources { out += "R \(r.address) \(r.specJSON)\n" }
        }
        try out.write(toFile: "\(dir)/out.txt", atomically: true, encoding: .utf8)
    }
}
