import Foundation
import Testing

/// The progress line of `syndic run CHANNEL product-export --wait` through the shipped binary:
/// on a terminal (a pseudo-terminal made by util-linux `script`) it is drawn in place on
/// standard error, a carriage return before each redraw, and ended with a line feed; when
/// standard error is a pipe nothing of it is written.
@Suite struct RunProgressTests {
    /// util-linux `script`: runs a command on a pseudo-terminal and copies what it shows.
    static let script = "/usr/bin/script"

    /// Linux only: the `script` of macOS and the BSDs takes other options.
    static let scriptAvailable: Bool = {
        #if os(Linux)
        return FileManager.default.isExecutableFile(atPath: script)
        #else
        return false
        #endif
    }()

    /// The products of the catalog: enough that the run reports its progress several times.
    static let productCount = 50_000

    /// `count` small products, one JSON line each (about 90 bytes a line).
    static func catalog(_ count: Int) -> String {
        var text = ""
        text.reserveCapacity(count * 100)
        for index in 1...count {
            text += #"{"uuid":"u\#(index)","identifier":"SKU-\#(index)","enabled":true,"family":"shoes","categories":[],"values":{}}"#
            text += "\n"
        }
        return text
    }

    /// `argument` quoted for `sh`: in single quotes, each single quote inside closed, escaped
    /// and reopened.
    static func shellQuoted(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Runs syndic with `arguments` on a pseudo-terminal and returns its exit status and what
    /// the terminal showed: standard output and error both, a line feed reading `\r\n` there.
    /// `script` is stopped after `timeout` seconds.
    static func runOnTerminal(_ syndic: SyndicProcess, _ arguments: [String],
                              timeout: TimeInterval = 120) throws -> (finished: Bool, status: Int32, shown: String) {
        let command = ([SyndicProcess.binary.path] + arguments).map(shellQuoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        process.currentDirectoryURL = syndic.workingDirectory
        process.environment = syndic.environment
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = output
        // Open and silent until the end: `script` waits for the command, never for end of input.
        process.standardInput = input
        try process.run()
        let shown = ReadInBackground(output)
        let finished = RuntimeScenario.eventually(timeout: timeout) { !process.isRunning }
        if !finished { process.terminate() }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        return (finished, process.terminationStatus, String(decoding: shown.wait(), as: UTF8.self))
    }

    @Test(.enabled(if: scriptAvailable, "util-linux script is not installed"))
    func theProgressLineIsDrawnOnATerminalOnly() throws {
        let workspace = try RuntimeScenario.applied(1)
        defer { workspace.remove() }
        try workspace.write("channels/catalog.jsonl", Self.catalog(Self.productCount))
        let arguments = ["run", "shop_00", "product-export", "--wait"]

        let terminal = try Self.runOnTerminal(workspace.syndic, arguments)
        try #require(terminal.finished, "the run did not end within two minutes: \(terminal.shown.suffix(2000))")
        #expect(terminal.status == 0, "\(terminal.shown.suffix(2000))")
        #expect(terminal.shown.contains("50000 read"), "the report follows the progress line")
        // Each redraw: a carriage return, the channel and job, done of total (bytes of the
        // catalog file), the percentage, the products so far; the rest of the old line cleared.
        let redraw = try Regex(#"\rshop_00 product-export  [0-9.,]+ (B|KB|MB) / [0-9.,]+ (B|KB|MB)  [0-9]{1,3}%  [0-9,]+ products[^\r\n]*\x1B\[K"#).matchingSemantics(.unicodeScalar)
        #expect(terminal.shown.contains(redraw), "no progress line in: \(terminal.shown.prefix(2000).debugDescription)")
        // The last report is drawn once more when the run is over, then the line is ended.
        let last = try Regex(#"\rshop_00 product-export  [^\r\n]*  100%  50,000 products[^\r\n]*\x1B\[K\r?\n"#).matchingSemantics(.unicodeScalar)
        #expect(terminal.shown.contains(last), "no final 100% line in: \(terminal.shown.prefix(2000).debugDescription)")

        let plain = try workspace.syndic.run(arguments)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("50000 read"))
        for (stream, text) in [("standard output", plain.stdout), ("standard error", plain.stderr)] {
            #expect(!text.contains("\r"), "\(stream) has a carriage return: \(text.debugDescription)")
            #expect(!text.contains("%"), "\(stream) has a percentage: \(text)")
            #expect(!text.contains("\u{1B}[K"), "\(stream) clears a line: \(text.debugDescription)")
            #expect(!text.contains("shop_00 product-export  "), "\(stream) has the progress line: \(text)")
        }
    }
}
