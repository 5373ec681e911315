import SyndicCore

/// Stored form of schedules: the configuration keys as canonical JSON.
enum ScheduleCoding {
    /// The configuration keys of a schedule as canonical JSON.
    static func encode(_ schedule: Schedule) -> String { CanonicalJSON.string(schedule.writtenForm) }

    static func decode(_ text: String) -> Schedule? {
        guard let value = try? CanonicalJSON.parse(text) else { return nil }
        return try? ChannelJobs.parse(value)
    }
}
