import Foundation
import Logging
import Testing
@testable import SyndicLogging

/// The text and JSON handlers: one line per event, the run's fields first, secrets out.
@Suite struct LogHandlerTests {
    /// Lines a handler wrote.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        var all: [String] { lock.withLock { stored } }
        func append(_ line: String) { lock.withLock { stored.append(line) } }
    }

    static let instant = Date(timeIntervalSince1970: 1_780_000_000.25)

    func logger(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, Lines) {
        let lines = Lines()
        let sink = LogSink { lines.append($0) }
        let handler = LineLogHandler(format: format, level: level, sink: sink, now: { Self.instant })
        return (Logger(label: "test", factory: { _ in handler }), lines)
    }

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func jsonLinesCarryTimestampLevelMessageAndTheRun() throws {
        var (log, lines) = logger(.json)
        log[metadataKey: "job"] = "product-export"
        log[metadataKey: "run"] = "42"
        log[metadataKey: "channel"] = "acme_fr"
        log.warning("run 42: 3 products refused", metadata: ["refused": .stringConvertible(3)])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1 && !line.contains("\n"))
        let object = try object(line)
        #expect(object["timestamp"] as? String == "2026-05-28T20:26:40.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "run 42: 3 products refused")
        #expect(object["run"] as? Int == 42)
        #expect(object["channel"] as? String == "acme_fr")
        #expect(object["job"] as? String == "product-export")
        #expect(object["refused"] as? Int == 3)
        // The run's fields come right after the message.
        let order = ["timestamp", "level", "message", "run", "channel", "job", "refused"]
        let positions = order.map { line.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func levelsBelowTheLoggersAreDropped() {
        let (log, lines) = logger(.json, level: .warning)
        log.info("hidden")
        log.debug("hidden too")
        log.error("shown")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("shown") == true)
    }

    @Test func textLinesAreOneLineWithTheLevelUnlessInfo() {
        var (log, lines) = logger(.text)
        log[metadataKey: "run"] = "7"
        log.info("run 7: started")
        log.error("cannot reach\nthe server\u{1B}[2J", metadata: ["host": "pim example"])
        #expect(lines.all == [
            "2026-05-28T20:26:40Z run 7: started run=7",
            "2026-05-28T20:26:40Z error: cannot reach the server\u{FFFD}[2J run=7 host=\"pim example\"",
        ])
    }

    @Test func secretsNeverReachALine() throws {
        for format in LogFormat.allCases {
            let (log, lines) = logger(format)
            log.error("GET https://user:hunter2@pim.example/api?password=hunter3&limit=3 failed")
            log.info("header Authorization: Bearer eyJhbGciOi.secret.token")
            log.info("token syn_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef made")
            log.info("body {\"client_secret\": \"hunter4\", \"user\": \"erp\"}")
            log.info("call", metadata: ["password": "hunter5", "api_key": "hunter6",
                                        "url": "sftp://feed:hunter7@files.example/out"])
            let all = lines.all.joined(separator: "\n")
            for secret in ["hunter2", "hunter3", "eyJhbGciOi", "0123456789abcdef", "hunter4", "hunter5", "hunter6", "hunter7"] {
                #expect(!all.contains(secret), "\(format): \(secret) in \(all)")
            }
            #expect(all.contains("limit=3") && all.contains("erp") && all.contains("files.example"), "\(all)")
            if format == .json { for line in lines.all { _ = try object(line) } }
        }
    }

    @Test func theFormatComesFromTheOptionThenTheEnvironment() throws {
        #expect(try LogFormat.resolve(option: .json, environment: ["SYNDIC_LOG_FORMAT": "text"]) == .json)
        #expect(try LogFormat.resolve(option: nil, environment: ["SYNDIC_LOG_FORMAT": "JSON"]) == .json)
        #expect(try LogFormat.resolve(option: nil, environment: [:]) == .text)
        #expect(throws: LogSetupError.self) { try LogFormat.resolve(option: nil, environment: ["SYNDIC_LOG_FORMAT": "xml"]) }
        #expect(try ProcessLogging.level(option: nil, environment: ["SYNDIC_LOG_LEVEL": "debug"]) == .debug)
        #expect(throws: LogSetupError.self) { try ProcessLogging.level(option: nil, environment: ["SYNDIC_LOG_LEVEL": "loud"]) }
    }
}
