import Foundation
import SyndicCore
import SyndicStore

/// Renders `syndic status`: one line per channel, or the details of one.
struct StatusView {
    let states: [ChannelState]
    let serial: Int
    let now: Date
    let detailed: Bool

    func render() -> String {
        if states.isEmpty { return "No channels applied yet (serial \(serial)). Run `syndic apply`." }
        if detailed, let state = states.first { return details(state) }
        var rows = [["CHANNEL", "TYPE", "STATUS", "CREDENTIALS", "NEXT RUN"]]
        for state in states {
            let spec = try? CanonicalJSON.parse(state.resource.specJSON)
            let next = state.suspension != nil ? "- (suspended)" : nextRun(spec).map { "\($0.job.rawValue) \($0.time)" } ?? "-"
            rows.append([state.resource.name, state.resource.type, status(state, spec), credentials(state), next])
        }
        return Table.render(rows) + "\n\nserial \(serial)"
    }

    private func details(_ state: ChannelState) -> String {
        let spec = try? CanonicalJSON.parse(state.resource.specJSON)
        var lines = ["channel.\(state.resource.name)", "  type:        \(state.resource.type)",
                     "  status:      \(status(state, spec))"]
        if let suspension = state.suspension {
            lines.append("  suspended:   since \(Planner.timestamp(suspension.at, zone: "UTC")) by \(suspension.by): \(suspension.reason)")
        }
        lines.append("  credentials: \(credentials(state))")
        for credential in state.credentials {
            let message = credential.message.map { " (\($0))" } ?? ""
            lines.append("    \(credential.path): \(credential.status)\(message), since \(Planner.timestamp(credential.changedAt, zone: "UTC"))")
        }
        if credentialsInvalid(state) {
            lines.append("  warning: the marketplace rejected the credentials; rotate the secret and apply")
        }
        lines.append("  file:        \(state.resource.sourceFile)")
        let zone = spec.map(ChannelJobs.timeZone(of:)) ?? "UTC"
        let schedules = spec.map(ChannelJobs.schedules(of:)) ?? [:]
        if schedules.isEmpty {
            lines.append("  schedules:   none")
        } else {
            lines.append("  schedules (\(zone))\(firesNothing(state, spec) ? ", firing nothing while \(state.suspension != nil ? "suspended" : "inactive")" : ""):")
            let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
            for job in schedules.keys.sorted() {
                let times = calculator.nextFireTimes(schedules[job]!, after: now, count: 3).map { Planner.timestamp($0, zone: zone) }
                lines.append("    \(job.rawValue): \(schedules[job]!.summary); next \(times.joined(separator: ", "))")
            }
        }
        lines.append("serial \(serial)")
        return lines.joined(separator: "\n")
    }

    private func status(_ state: ChannelState, _ spec: Value?) -> String {
        let base = spec.map(ChannelJobs.isActive) == true ? "active" : "inactive"
        return state.suspension == nil ? base : "\(base), suspended"
    }

    private func credentials(_ state: ChannelState) -> String {
        if state.credentials.isEmpty { return "none" }
        if credentialsInvalid(state) { return "INVALID" }
        if state.credentials.allSatisfy({ $0.status == "valid" }) { return "valid" }
        return "not yet used"
    }

    private func credentialsInvalid(_ state: ChannelState) -> Bool {
        state.credentials.contains { $0.status == "invalid" }
    }

    private func firesNothing(_ state: ChannelState, _ spec: Value?) -> Bool {
        state.suspension != nil || spec.map(ChannelJobs.isActive) != true
    }

    private func nextRun(_ spec: Value?) -> (job: JobKind, time: String)? {
        guard let spec, ChannelJobs.isActive(spec) else { return nil }
        let zone = ChannelJobs.timeZone(of: spec)
        let calculator = ScheduleCalculator(timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
        var best: (job: JobKind, date: Date)?
        for (job, schedule) in ChannelJobs.schedules(of: spec).sorted(by: { $0.key < $1.key }) {
            guard let date = calculator.next(schedule, after: now) else { continue }
            if best == nil || date < best!.date { best = (job, date) }
        }
        return best.map { ($0.job, Planner.timestamp($0.date, zone: zone)) }
    }
}
