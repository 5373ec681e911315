import Foundation
import SyndicCore

/// One channel: its state, its applied settings with the commit that set each field, its
/// schedules with the next three fire times, its recent runs, and the two actions of the
/// console (suspend or resume, run a job now). The configuration itself lives in git.
struct ChannelPage: Sendable {
    var frame: PageFrame
    var name: String
    var type: String
    var status: String
    var sourceFile: String
    var flash: [Flash]
    var suspended: Bool
    var suspension: String
    var needsAttention: Bool
    var attention: [String]
    var credentials: [Credential]
    var hasCredentials: Bool
    var credentialsWarning: String
    var credentialsInvalid: Bool
    var jobs: [ChannelFacts.Job]
    var settings: [Setting]
    var hasSettings: Bool
    var schedules: [ScheduleRow]
    var hasSchedules: Bool
    var scheduleNote: String
    var hasScheduleNote: Bool
    var runs: [RunRow]
    var hasRuns: Bool
    var runsHref: String
    var suspendAction: String
    var resumeAction: String
    var runAction: String
    var jobOptions: [PageOption]
    var hasJobOptions: Bool
    var canDryRun: Bool

    /// The outcome of an action, shown once after it.
    struct Flash: Sendable, Equatable {
        var flashText: String
        var flashHref: String
        var flashLink: String
        var hasFlashLink: Bool
    }

    struct Credential: Sendable, Equatable {
        var path: String
        var credentialStatus: String
        var message: String
        var since: String
    }

    /// An applied field: its value and the revision that last set it.
    struct Setting: Sendable, Equatable {
        var path: String
        var value: String
        var commit: String
        var commitTitle: String
        var revision: String
    }

    struct ScheduleRow: Sendable, Equatable {
        var scheduleJob: String
        var schedule: String
        var zone: String
        var fireTimes: [String]
    }

    /// What the page is built from.
    struct Input: Sendable {
        var channel: ChannelFacts.Input
        /// The channel's revisions, newest first.
        var history: [HistoryEntry]
        /// Its recent runs, newest first.
        var recentRuns: [RunInfo]
        /// The query of the page (`done`, `run`: the outcome of the action just done).
        var query: ConsoleQuery
    }

    static func build(_ input: Input, now: Date, csrf: String) -> ChannelPage {
        let facts = ChannelFacts(input.channel, now: now)
        let resource = input.channel.state.resource
        let base = facts.href
        let schedules = ChannelJobs.schedules(of: facts.spec).sorted { $0.key < $1.key }
        let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: facts.zone) ?? TimeZone(identifier: "UTC")!)
        let fires = facts.active && facts.suspension == nil
        let available = ChannelJobs.available(in: facts.spec)
        let settings = Self.settings(resource, history: input.history)
        var scheduleNote = ""
        if !fires, !schedules.isEmpty {
            scheduleNote = "While the channel is \(facts.suspension != nil ? "suspended" : "inactive"), its schedules fire "
                + "nothing; the times below are when they would."
        }
        return ChannelPage(
            frame: PageFrame(title: "Channel \(facts.name)", section: .channels, csrf: csrf),
            name: facts.name, type: facts.type, status: facts.status, sourceFile: resource.sourceFile,
            flash: Self.flash(input.query).map { [$0] } ?? [],
            suspended: facts.suspension != nil, suspension: facts.suspensionText,
            needsAttention: !facts.attention.isEmpty, attention: facts.attention,
            credentials: facts.credentials.map {
                Credential(path: $0.path, credentialStatus: $0.status, message: PageFormat.text($0.message),
                           since: PageFormat.date($0.changedAt))
            },
            hasCredentials: !facts.credentials.isEmpty, credentialsWarning: facts.credentialsWarning,
            credentialsInvalid: facts.credentialsInvalid, jobs: facts.jobs,
            settings: settings, hasSettings: !settings.isEmpty,
            schedules: schedules.map { job, schedule in
                ScheduleRow(scheduleJob: job.rawValue, schedule: schedule.summary, zone: facts.zone,
                            fireTimes: calculator.nextFireTimes(schedule, after: now, count: 3).map { PageFormat.date($0) })
            },
            hasSchedules: !schedules.isEmpty,
            scheduleNote: scheduleNote, hasScheduleNote: !scheduleNote.isEmpty,
            runs: input.recentRuns.map(RunRow.init), hasRuns: !input.recentRuns.isEmpty,
            runsHref: ConsoleQuery([("channel", facts.name)]).link("/runs"),
            suspendAction: base + "/suspend", resumeAction: base + "/resume", runAction: base + "/run",
            jobOptions: available.map { PageOption(value: $0.rawValue, label: $0.rawValue, selected: false) },
            hasJobOptions: !available.isEmpty, canDryRun: available.contains(.productExport))
    }

    /// The applied fields (spec, then labels), each with the newest revision that changed it,
    /// or the one that created the channel.
    static func settings(_ resource: AppliedResource, history: [HistoryEntry]) -> [Setting] {
        var leaves: [(path: String, text: String)] = []
        if let spec = try? CanonicalJSON.parse(resource.specJSON) { leaves += ValueFlattener.leaves(spec) }
        if let labels = try? CanonicalJSON.parse(resource.labelsJSON) {
            leaves += ValueFlattener.leaves(labels, prefix: "labels").filter { $0.text != "{}" }
        }
        // History is newest first; only the revisions since the newest create are this
        // channel's (a channel deleted and created again starts over).
        let createdAt = history.firstIndex { $0.changes.contains { $0.action == "create" && $0.field == nil } }
        let own = createdAt.map { Array(history[...$0]) } ?? history
        let creation = createdAt.map { history[$0] }
        // A schedule change is recorded as `schedule.JOB`: it set the spec keys of that job's schedule.
        var newest: [String: HistoryEntry] = [:]
        for entry in own {
            for change in entry.changes {
                guard var field = change.field else { continue }
                if field.hasPrefix("schedule."), let job = JobKind(rawValue: String(field.dropFirst("schedule.".count))),
                   let path = ChannelJobs.controllingPaths[job] {
                    field = path
                }
                if newest[field] == nil { newest[field] = entry }
            }
        }
        func newestChange(of path: String) -> HistoryEntry? {
            if let entry = newest[path] { return entry }
            return newest.filter { path.hasPrefix($0.key + ".") }.max { $0.value.serial < $1.value.serial }?.value
        }
        return leaves.map { leaf in
            guard let entry = newestChange(of: leaf.path) ?? creation else {
                return Setting(path: leaf.path, value: leaf.text, commit: "-", commitTitle: "", revision: "not in the history kept")
            }
            let commit = entry.gitCommit.map { String($0.prefix(12)) } ?? "no commit recorded"
            return Setting(path: leaf.path, value: leaf.text, commit: commit, commitTitle: entry.gitCommit ?? "",
                           revision: "serial \(entry.serial), \(entry.operation) by \(entry.user) at \(PageFormat.date(entry.at))")
        }
    }

    /// The outcome named by `done` (and `run`), as the actions redirect with it.
    static func flash(_ query: ConsoleQuery) -> Flash? {
        switch query.value("done") {
        case "suspended":
            return Flash(flashText: "Channel suspended: its schedules fire nothing until it is resumed.",
                         flashHref: "", flashLink: "", hasFlashLink: false)
        case "resumed":
            return Flash(flashText: "Channel resumed: its schedules fire again from now on (missed slots are not replayed).",
                         flashHref: "", flashLink: "", hasFlashLink: false)
        case "queued":
            guard let run = query.value("run"), let id = Int64(run) else {
                return Flash(flashText: "Run queued.", flashHref: "", flashLink: "", hasFlashLink: false)
            }
            return Flash(flashText: "Run \(id) queued: a worker runs it.", flashHref: "/runs/\(id)",
                         flashLink: "Open run \(id)", hasFlashLink: true)
        default:
            return nil
        }
    }
}
