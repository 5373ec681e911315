import Foundation

/// Headless Chromium (Debian's `chromium`, which `scripts/install-deps` installs) driven from
/// its command line, one invocation per page: `dumpDOM` returns the DOM of a page once it
/// loaded (redirects followed), `screenshot` writes a PNG of it. Every invocation uses the
/// same profile folder, so a session cookie one page set is sent by the next.
public struct Chromium: Sendable {
    /// The executable.
    public let binary: String
    /// The profile folder (`--user-data-dir`): cookies last from one invocation to the next.
    public let profile: URL
    /// Seconds one invocation may take before it is killed.
    public var timeout: TimeInterval = 60

    /// A browser with a new, empty profile.
    public init(binary: String) throws {
        self.binary = binary
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
    }

    /// The first of `chromium` and `chromium-browser` found on the PATH; nil when neither is.
    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Whether a missing Chromium fails the tests instead of skipping them: in CI (`CI=true`).
    public static var required: Bool {
        ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    /// The DOM of `url` once it loaded, as HTML text.
    public func dumpDOM(_ url: String) throws -> String {
        String(decoding: try run(["--dump-dom", url]), as: UTF8.self)
    }

    /// Loads `url` in a `width` × `height` window and writes a PNG of what shows to `file`.
    public func screenshot(_ url: String, to file: URL, width: Int = 1280, height: Int = 900) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: file)
        _ = try run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url])
        let data = (try? Data(contentsOf: file)) ?? Data()
        guard data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw TestSupportError("chromium wrote no PNG to \(file.path) for \(url)")
        }
    }

    /// Removes the profile folder.
    public func remove() { try? FileManager.default.removeItem(at: profile) }

    /// Flags of every invocation: headless, no sandbox (tests run as root in CI), nothing
    /// fetched from outside, no keyring (cookies are kept in the profile).
    private var flags: [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
         "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-crash-reporter",
         "--password-store=basic", "--mute-audio"]
    }

    /// Runs Chromium with `arguments` to its end; its standard output. Output goes to files,
    /// not pipes, so that a helper process that outlives the browser never holds a read open.
    private func run(_ arguments: [String]) throws -> Data {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("syndic-chromium-\(UUID().uuidString)")
        let output = scratch.appendingPathExtension("out"), errors = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = flags + arguments
        // Its home is the profile too: nothing is read from or written to the user's own.
        process.environment = ProcessInfo.processInfo.environment.merging(["HOME": profile.path]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stderr = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
        guard !timedOut, process.terminationStatus == 0 else {
            let outcome = timedOut ? "took more than \(Int(timeout)) s" : "exited with \(process.terminationStatus)"
            throw TestSupportError("chromium \(arguments.joined(separator: " ")) \(outcome):\n\(stderr.suffix(4000))")
        }
        return try Data(contentsOf: output)
    }
}
