/// Whether a manual run may be queued: allowed while a schedule is on; refused on
/// an inactive or suspended channel, except a dry-run export, which sends nothing.
public enum ManualRunPolicy {
    /// The refusal, or nil when the run may be queued.
    public static func refusal(channel: String, spec: Value, suspended: Bool, job: JobKind,
                               dryRun: Bool, full: Bool) -> String? {
        if dryRun && job != .productExport {
            return "--dry-run applies to product-export only"
        }
        if full && job != .productExport {
            return "--full applies to product-export only"
        }
        let available = ChannelJobs.available(in: spec)
        guard available.contains(job) else {
            let list = available.map(\.rawValue).joined(separator: ", ")
            return "channel \(channel) has no \(job.rawValue) job (configured: \(list.isEmpty ? "none" : list))"
        }
        if dryRun { return nil }
        if suspended {
            return "channel \(channel) is suspended; only a dry-run export is allowed (syndic resume \(channel) lifts the suspension)"
        }
        if !ChannelJobs.isActive(spec) {
            return "channel \(channel) is inactive; activate it (status: active) and apply, or run a dry-run export with --dry-run"
        }
        return nil
    }
}
