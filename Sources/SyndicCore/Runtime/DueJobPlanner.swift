import Foundation

/// Decides, purely from schedules, channel gates, busy jobs and the time, what a scheduler
/// tick does. An actor in the engine executes the decisions.
///
/// Rules: an inactive or suspended channel fires nothing, and the
/// slots it misses pass without a run (activating a channel does not replay them); a job
/// that missed several slots while no worker was up runs once, for the latest slot; the
/// same job of the same channel never has two runs queued or running at once.
public struct DueJobPlanner: Sendable {
    public init() {}

    /// The decision for `job` at `now`, or nil when it is not due.
    public func decide(_ job: ScheduledJob, gateOpen: Bool, busy: Bool, now: Date) -> TickDecision? {
        guard job.nextDue <= now else { return nil }
        let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: job.timeZone) ?? TimeZone(identifier: "UTC")!)
        // The latest slot at or before now: missed slots collapse into it.
        let slot = max(job.nextDue, calculator.previous(job.schedule, atOrBefore: now) ?? job.nextDue)
        let nextDue = calculator.next(job.schedule, after: slot) ?? .distantFuture
        if !gateOpen { return .skip(slot: slot, nextDue: nextDue) }
        if busy { return .wait }
        return .enqueue(slot: slot, nextDue: nextDue)
    }

    /// The first due time of a job scheduled (or rescheduled) at `now`: slots before it
    /// never fire.
    public func firstDue(_ schedule: Schedule, timeZone: String, now: Date) -> Date {
        let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!)
        return calculator.next(schedule, after: now) ?? .distantFuture
    }
}
