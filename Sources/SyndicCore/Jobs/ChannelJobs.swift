/// Which jobs of a channel are scheduled, and how: derived from the channel spec alone.
public enum ChannelJobs {
    /// Order retrieval runs every 5 minutes when enabled.
    public static let retrievalInterval = Schedule.every(minutes: 5)
    /// Confirmation pushes run every 15 minutes when enabled.
    public static let confirmationInterval = Schedule.every(minutes: 15)

    /// Spec key paths that hold a schedule.
    public static let schedulePaths = [
        "products.export.schedule", "products.requirementsSync.schedule",
        "orders.export.schedule", "orders.shipmentImport.schedule",
    ]

    /// Spec key paths that turn a job's schedule on or off, by job.
    public static let controllingPaths: [JobKind: String] = [
        .productExport: "products.export.schedule",
        .requirementsSync: "products.requirementsSync.schedule",
        .orderRetrieval: "orders.retrieval",
        .confirmationPush: "orders.confirmations",
        .orderExport: "orders.export.schedule",
        .shipmentImport: "orders.shipmentImport.schedule",
    ]

    /// The schedule of every scheduled job of a channel, read from its spec value.
    /// Schedules that fail to parse are left out (validation reports them).
    public static func schedules(of spec: Value) -> [JobKind: Schedule] {
        var result: [JobKind: Schedule] = [:]
        let available = Set(available(in: spec))
        for (job, path) in controllingPaths where available.contains(job) {
            guard let written = spec.value(at: path) else { continue }
            switch job {
            case .orderRetrieval: if written.boolValue == true { result[job] = retrievalInterval }
            case .confirmationPush: if written.boolValue == true { result[job] = confirmationInterval }
            default: if let schedule = try? parse(written) { result[job] = schedule }
            }
        }
        return result
    }

    /// Parses a written schedule (`{every}`, `{at, days}`, `{cron}`).
    public static func parse(_ written: Value) throws(ScheduleError) -> Schedule {
        try Schedule(every: written["every"]?.stringValue, at: written["at"]?.stringValue,
                     days: written["days"]?.listValue?.compactMap(\.stringValue), cron: written["cron"]?.stringValue)
    }

    /// Whether a channel spec says `status: active` (inactive is the default).
    public static func isActive(_ spec: Value) -> Bool { spec["status"]?.stringValue == "active" }

    /// The time zone a channel's schedules are read in.
    public static func timeZone(of spec: Value) -> String { spec["timezone"]?.stringValue ?? "UTC" }
}

extension ChannelJobs {
    /// The jobs a channel can run at all (scheduled or manually), from its spec.
    public static func available(in spec: Value) -> [JobKind] {
        var jobs: [JobKind] = []
        if spec["source"] != nil { jobs.append(.productExport) }
        if ChannelType(of: spec)?.syncsRequirements == true { jobs.append(.requirementsSync) }
        if spec.value(at: "orders.retrieval")?.boolValue == true { jobs.append(.orderRetrieval) }
        if spec.value(at: "orders.confirmations")?.boolValue == true { jobs.append(.confirmationPush) }
        if spec.value(at: "orders.export") != nil { jobs.append(.orderExport) }
        if spec.value(at: "orders.shipmentImport") != nil { jobs.append(.shipmentImport) }
        return jobs
    }
}
