/// Which jobs of a channel are scheduled, and how: derived from the channel spec alone.
public enum ChannelJobs {
    /// Order retrieval runs every 5 minutes when enabled (seed 001).
    public static let retrievalInterval = Schedule.every(minutes: 5)
    /// Confirmation pushes run every 15 minutes when enabled (seed 001).
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

    /// The schedule of every scheduled job of a channel. Schedules that fail to parse are
    /// left out (validation reports them).
    public static func schedules(of spec: ChannelSpec) -> [JobKind: Schedule] {
        var result: [JobKind: Schedule] = [:]
        func add(_ job: JobKind, _ written: ChannelSpec.ScheduleSpec?) {
            if let written, let schedule = try? written.parsed() { result[job] = schedule }
        }
        add(.productExport, spec.products?.export?.schedule)
        add(.requirementsSync, spec.products?.requirementsSync?.schedule)
        if spec.orders?.retrieval == true { result[.orderRetrieval] = retrievalInterval }
        if spec.orders?.confirmations == true { result[.confirmationPush] = confirmationInterval }
        add(.orderExport, spec.orders?.export?.schedule)
        add(.shipmentImport, spec.orders?.shipmentImport?.schedule)
        return result
    }
}
