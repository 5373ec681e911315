/// A schedule or cron expression that cannot be read, with a message that says why.
public struct ScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, naming the offending key, field or value.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
