import Foundation
import SyndicCore

/// What `syndic status` shows about one channel, computed from the state at one moment.
public struct ChannelStatusReport: Sendable {
    public var name: String
    public var type: String
    public var active: Bool
    public var suspension: Suspension?
    public var credentials: [CredentialState]
    public var sourceFile: String
    public var timeZone: String
    /// Scheduled jobs with their next fire times (ISO 8601 in the channel's zone).
    public var schedules: [(job: JobKind, schedule: String, next: [String])]
    /// The latest run of each job that ran.
    public var lastRuns: [RunInfo]
    /// Runs queued or running now.
    public var pending: [RunInfo]

    /// Whether the channel's schedules fire (active and not suspended).
    public var fires: Bool { active && suspension == nil }

    /// Credentials summary: none, INVALID, valid, or not yet used.
    public var credentialSummary: String {
        if credentials.isEmpty { return "none" }
        if credentials.contains(where: { $0.status == "invalid" }) { return "INVALID" }
        if credentials.allSatisfy({ $0.status == "valid" }) { return "valid" }
        return "not yet used"
    }

    /// The soonest next fire time, when the channel fires at all.
    public var nextRun: (job: JobKind, time: String)? {
        guard fires else { return nil }
        return soonest
    }

    private var soonest: (job: JobKind, time: String)? {
        var best: (job: JobKind, time: String, date: Date)?
        for entry in schedules {
            guard let first = entry.next.first, let date = ISO8601DateFormatter().date(from: first) else { continue }
            if best == nil || date < best!.date { best = (entry.job, first, date) }
        }
        return best.map { ($0.job, $0.time) }
    }

    /// Builds the reports of all channels, or of one (unknown: `StoreError.unknownChannel`).
    public static func build(store: any ConfigurationStore & RunQueue, channel: String?, now: Date, fireTimes: Int = 3) throws
        -> [ChannelStatusReport] {
        try store.channelStates(named: channel).map { state in
            let spec = (try? CanonicalJSON.parse(state.resource.specJSON)) ?? .object([:])
            let zone = ChannelJobs.timeZone(of: spec)
            let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
            let schedules = ChannelJobs.schedules(of: spec).sorted { $0.key < $1.key }.map { job, schedule in
                (job: job, schedule: schedule.summary,
                 next: calculator.nextFireTimes(schedule, after: now, count: fireTimes).map { Timestamp.iso($0, zone: zone) })
            }
            let runs = try store.runs(RunFilter(channel: state.resource.name, limit: 50))
            var latest: [JobKind: RunInfo] = [:]
            for job in JobKind.allCases {
                // Per job, so that frequent jobs do not hide the last run of rare ones.
                let recent = try store.runs(RunFilter(channel: state.resource.name, job: job, limit: 20))
                latest[job] = recent.first { $0.status.isFinished }
            }
            return ChannelStatusReport(
                name: state.resource.name, type: state.resource.type, active: ChannelJobs.isActive(spec),
                suspension: state.suspension, credentials: state.credentials, sourceFile: state.resource.sourceFile,
                timeZone: zone, schedules: schedules, lastRuns: latest.values.sorted { $0.job < $1.job },
                pending: runs.filter { !$0.status.isFinished }.sorted { $0.id < $1.id })
        }
    }
}
