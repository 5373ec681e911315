import Foundation
import Logging

/// syndic's log handler: each event becomes one line, as text for people (`TextLogLine`)
/// or as one JSON object (`JSONLogLine`), with the handler's metadata and the metadata
/// provider's merged in and secrets taken out, written whole to a `LogSink`.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let format: LogFormat
    private let sink: LogSink
    private let now: @Sendable () -> Date

    public init(format: LogFormat, level: Logger.Level = .info, sink: LogSink = .standardError,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = LogFields(event: event, handlerMetadata: metadata, provider: metadataProvider, now: now())
        switch format {
        case .text: sink.emit(TextLogLine.render(fields))
        case .json: sink.emit(JSONLogLine.render(fields))
        }
    }
}
