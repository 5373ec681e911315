import Foundation
import SyndicCore
import SyndicEngine

/// The JSON form of `syndic status`: every channel (or the one asked for) with everything the
/// detailed text shows. Computes nothing.
struct StatusJSON: JSONDocument {
    /// Bumped on any incompatible change of this document (docs/json.md).
    static let currentFormatVersion = "1"

    var formatVersion: String
    var serial: Int
    var channels: [Channel]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case serial, channels
    }

    init(reports: [ChannelStatusReport], serial: Int) {
        formatVersion = Self.currentFormatVersion
        self.serial = serial
        channels = reports.map(Channel.init)
    }

    /// One channel as the state has it.
    struct Channel: Encodable {
        var name: String
        var type: String
        var active: Bool
        /// Whether its schedules fire: active and not suspended.
        var fires: Bool
        var suspension: Suspended?
        /// `none`, `invalid`, `valid` or `not yet used`.
        var credentialSummary: String
        var credentials: [Credential]
        var sourceFile: String
        var timeZone: String
        var schedules: [ScheduledJob]
        /// The soonest fire time; absent when the channel fires nothing.
        var nextRun: NextRun?
        var pending: [RunsJSON.Run]
        var lastRuns: [RunsJSON.Run]

        enum CodingKeys: String, CodingKey {
            case name, type, active, fires, suspension
            case credentialSummary = "credential_summary"
            case credentials
            case sourceFile = "source_file"
            case timeZone = "time_zone"
            case schedules
            case nextRun = "next_run"
            case pending
            case lastRuns = "last_runs"
        }

        init(_ report: ChannelStatusReport) {
            name = report.name
            type = report.type
            active = report.active
            fires = report.fires
            suspension = report.suspension.map { Suspended(reason: $0.reason, by: $0.by, at: JSONDate.utc($0.at)) }
            credentialSummary = report.credentialSummary.lowercased()
            credentials = report.credentials.map {
                Credential(path: $0.path, status: $0.status, message: $0.message, changedAt: JSONDate.utc($0.changedAt))
            }
            sourceFile = report.sourceFile
            timeZone = report.timeZone
            schedules = report.schedules.map { ScheduledJob(job: $0.job, schedule: $0.schedule, next: $0.next) }
            nextRun = report.nextRun.map { NextRun(job: $0.job, time: $0.time) }
            pending = report.pending.map(RunsJSON.Run.init)
            lastRuns = report.lastRuns.map(RunsJSON.Run.init)
        }
    }

    /// Why and since when a channel is suspended.
    struct Suspended: Encodable {
        var reason: String
        var by: String
        var at: String
    }

    /// The status of one secret field, as the last job that used it found it.
    struct Credential: Encodable {
        var path: String
        var status: String
        var message: String?
        var changedAt: String

        enum CodingKeys: String, CodingKey {
            case path, status, message
            case changedAt = "changed_at"
        }
    }

    /// A scheduled job with its next fire times, in the channel's zone.
    struct ScheduledJob: Encodable {
        var job: JobKind
        var schedule: String
        var next: [String]
    }

    /// The soonest fire time of a channel's jobs, in the channel's zone.
    struct NextRun: Encodable {
        var job: JobKind
        var time: String
    }
}
