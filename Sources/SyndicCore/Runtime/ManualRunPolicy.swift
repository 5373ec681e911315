import Foundation

/// Whether a manual run may be queued: allowed while a schedule is on; refused on
/// an inactive or suspended channel, except a dry-run export, which sends nothing.
public enum ManualRunPolicy {
    /// Why a manual run cannot be queued.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Queues a manual run after the checks (`syndic run`, the console's "run now"). `force`
    /// (product export only, not with a dry run) skips the channel's export guard for this run.
    public static func enqueue(store: any StateStore, channel: String, job: JobKind, dryRun: Bool, full: Bool,
                               force: Bool = false, now: Date) throws -> RunInfo {
        guard let applied = try store.resource(.channel, named: channel) else {
            throw StoreError.unknownChannel(channel)
        }
        if force, job != .productExport {
            throw Refused(description: "--force applies to product-export only")
        }
        if force, dryRun {
            throw Refused(description: "--force applies to a real export: a dry run sends nothing and is never held")
        }
        let spec = try CanonicalJSON.parse(applied.specJSON)
        let suspended = try store.suspension(ofChannel: channel) != nil
        if let refusal = refusal(channel: channel, spec: spec, suspended: suspended, job: job, dryRun: dryRun, full: full) {
            throw Refused(description: refusal)
        }
        return try store.enqueue(RunRequest(channel: channel, job: job, trigger: .manual, dryRun: dryRun, full: full,
                                            force: force),
                                 now: now, retry: .standard)
    }

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
