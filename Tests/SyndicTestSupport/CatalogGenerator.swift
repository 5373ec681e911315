import Foundation

/// `scripts/generate-catalog`: deterministic catalogs of Akeneo-format products (JSON lines).
public enum CatalogGenerator {
    /// How much each product carries (`--shape`).
    public enum Shape: String, Sendable {
        /// Every attribute (about 1,510 bytes a product).
        case full
        /// The same products with a few values only (about 900 bytes a product).
        case small
    }

    /// Writes `count` products drawn from `seed` to `path`, in `shape`.
    public static func generate(count: Int, seed: Int, shape: Shape = .full, to path: String) throws {
        try run(["--count", String(count), "--seed", String(seed), "--shape", shape.rawValue, "--out", path])
    }

    /// Copies `base` to `path`, changing round(count × percent / 100) products (new price or
    /// name, later `updated`).
    public static func change(percent: Double, of base: String, seed: Int, to path: String) throws {
        try run(["--change-percent", String(percent), "--base", base, "--seed", String(seed), "--out", path])
    }

    private static func run(_ arguments: [String]) throws {
        let script = TestPaths.repository.appendingPathComponent("scripts/generate-catalog").path
        let process = try ChildProcess("/usr/bin/env", ["python3", script] + arguments)
        let status = process.wait()
        guard status == 0 else {
            // The output is drained on another thread: give it a moment to see the end.
            let output = process.output.wait(seconds: 2) { _ in String?.none } ?? process.output.text
            throw TestSupportError("generate-catalog \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
    }
}
