import Foundation
import SyndicCore

/// What the console tells of a channel at one moment, from its stored state and its recent
/// runs: status, suspension, credentials, each job's next fire time and last run, and what
/// needs attention.
struct ChannelFacts {
    /// A channel as the store has it, with its recent runs of each job (newest first).
    struct Input: Sendable {
        var state: ChannelState
        var runsByJob: [JobKind: [RunInfo]]

        init(state: ChannelState, runsByJob: [JobKind: [RunInfo]]) {
            self.state = state
            self.runsByJob = runsByJob
        }
    }

    /// One job of the channel.
    struct Job: Sendable, Equatable {
        var job: String
        /// The next fire time, or why there is none.
        var next: String
        var hasLastRun: Bool
        var lastRunText: String
        var lastRunHref: String
        var lastRunStatus: String
        var lastRunStatusClass: String
        var lastRunFinished: String
        /// `run 12 running`, when a run is queued or running now.
        var current: String
        var hasCurrent: Bool
    }

    let name: String
    let type: String
    let spec: Value
    let active: Bool
    let zone: String
    let suspension: Suspension?
    let credentials: [CredentialState]
    let jobs: [Job]
    /// Why the channel needs attention (empty: it does not).
    let attention: [String]

    init(_ input: Input, now: Date) {
        let resource = input.state.resource
        let spec = (try? CanonicalJSON.parse(resource.specJSON)) ?? .object([:])
        let active = ChannelJobs.isActive(spec)
        let zone = ChannelJobs.timeZone(of: spec)
        let suspension = input.state.suspension
        let credentials = input.state.credentials
        let schedules = ChannelJobs.schedules(of: spec)
        let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
        let fires = active && suspension == nil
        var attention: [String] = []
        if let suspension { attention.append("suspended: \(suspension.reason)") }
        if credentials.contains(where: { $0.status == "invalid" }) { attention.append("credentials rejected") }
        let available = ChannelJobs.available(in: spec)
        let listed = available + input.runsByJob.keys.filter { !available.contains($0) }.sorted()
        var jobs: [Job] = []
        for job in listed {
            let runs = input.runsByJob[job] ?? []
            let last = runs.first { $0.status.isFinished }
            let current = runs.first { !$0.status.isFinished }
            if let last, last.status == .failed || last.status == .held {
                attention.append("last \(job.rawValue) \(last.status.rawValue)")
            }
            let next: String
            if let schedule = schedules[job] {
                if fires {
                    next = calculator.next(schedule, after: now).map { PageFormat.date($0) } ?? "none within 5 years"
                } else {
                    next = suspension != nil ? "none while suspended" : "none while inactive"
                }
            } else {
                next = "not scheduled (run on demand)"
            }
            jobs.append(Job(job: job.rawValue, next: next, hasLastRun: last != nil,
                            lastRunText: last.map { "run \($0.id)" } ?? "never run",
                            lastRunHref: last.map { "/runs/\($0.id)" } ?? "",
                            lastRunStatus: last?.status.rawValue ?? "",
                            lastRunStatusClass: last.map { PageFormat.statusClass($0.status) } ?? "",
                            lastRunFinished: PageFormat.date(last?.finishedAt),
                            current: current.map { "run \($0.id) \($0.status.rawValue)" } ?? "", hasCurrent: current != nil))
        }
        name = resource.name
        type = resource.type
        self.spec = spec
        self.active = active
        self.zone = zone
        self.suspension = suspension
        self.credentials = credentials
        self.jobs = jobs
        self.attention = attention
    }

    /// `active`, `inactive`, with `, suspended` when it is.
    var status: String {
        (active ? "active" : "inactive") + (suspension == nil ? "" : ", suspended")
    }

    /// `since 2026-03-11T09:00:00Z by console: reason`, or empty.
    var suspensionText: String {
        guard let suspension else { return "" }
        return "since \(PageFormat.date(suspension.at)) by \(suspension.by): \(suspension.reason)"
    }

    var credentialsInvalid: Bool { credentials.contains { $0.status == "invalid" } }

    /// none, rejected, valid, or not yet used.
    var credentialSummary: String {
        if credentials.isEmpty { return "none" }
        if credentialsInvalid { return "rejected" }
        if credentials.allSatisfy({ $0.status == "valid" }) { return "valid" }
        return "not yet used"
    }

    /// What the channel page says when the marketplace rejected the credentials.
    var credentialsWarning: String {
        guard credentialsInvalid else { return "" }
        let messages = credentials.filter { $0.status == "invalid" }.map { "\($0.path): \($0.message ?? "rejected")" }
        return "The remote rejected the credentials (\(messages.joined(separator: "; "))). "
            + "Rotate the secret and apply; a successful run clears this."
    }

    var href: String { "/channels/" + PageFormat.segment(name) }
}
