import Foundation

/// One scheduled job of one channel, as the state keeps it between ticks.
public struct ScheduledJob: Hashable, Sendable {
    public var channel: String
    public var job: JobKind
    public var schedule: Schedule
    public var timeZone: String
    /// The first fire time not yet handled.
    public var nextDue: Date

    public init(channel: String, job: JobKind, schedule: Schedule, timeZone: String, nextDue: Date) {
        self.channel = channel
        self.job = job
        self.schedule = schedule
        self.timeZone = timeZone
        self.nextDue = nextDue
    }
}

/// What one tick does with one due job.
public enum TickDecision: Hashable, Sendable {
    /// Queue a run for `slot`; the job is next due at `nextDue`.
    case enqueue(slot: Date, nextDue: Date)
    /// The channel is inactive or suspended: the slot passes without a run.
    case skip(slot: Date, nextDue: Date)
    /// A run of this job is queued or running: keep the slot for when it is done.
    case wait
}
