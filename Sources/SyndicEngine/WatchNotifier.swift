import Foundation
import SyndicCore

/// What `reconcile --watch` tells the Notification resources, once per change. Pure: the
/// loop hands it the outcome of every cycle and raises the events it returns.
///
/// - `drift` when the state changed outside the configuration: the configuration (its
///   files and its secrets' fingerprints) is the one of the last good cycle, yet the plan
///   has changes (an apply from another checkout, an edit of the state). One event per
///   channel whose resource drifted, and one with no channel for connections and
///   notifications. Deletes that were pending when the loop first planned this
///   configuration are not drift.
/// - `drift` for every suspended channel (`syndic suspend`), until it is resumed.
/// - `apply-failed`, with no channel, when a cycle fails.
///
/// It remembers a fingerprint of every condition it notified and raises an event again only
/// when that fingerprint changes (other drifted fields, another suspension, another error).
/// A condition that clears is forgotten, so that it is notified again when it comes back; a
/// good cycle clears the failure. The memory lives in the loop's process: a restarted loop
/// notifies once more the suspensions and failures that still hold.
public struct WatchNotifier: Sendable {
    /// An alert to raise.
    public struct Event: Hashable, Sendable {
        public var kind: AlertKind
        /// The channel it is about; "" when it is about no single channel (a failed cycle,
        /// the drift of connections or notifications).
        public var channel: String
        public var message: String
        /// The condition it reports.
        let condition: Condition
    }

    /// What a good cycle saw.
    public struct Observation: Sendable {
        /// Identifies the configuration planned: its files and its secrets' fingerprints.
        public var configuration: String
        /// Every change the plan held, applied or left pending.
        public var changes: [Change]
        /// The addresses of the changes left pending (deletes waiting for a decision).
        public var pending: Set<String>
        /// The suspended channels.
        public var suspensions: [String: Suspension]

        public init(configuration: String, changes: [Change], pending: Set<String> = [],
                    suspensions: [String: Suspension] = [:]) {
            self.configuration = configuration
            self.changes = changes
            self.pending = pending
            self.suspensions = suspensions
        }
    }

    /// Something the loop notifies about, each remembered with a fingerprint.
    enum Condition: Hashable, Sendable {
        /// Resources of a channel ("" for the others) differ from an unchanged configuration.
        case state(channel: String)
        case suspension(channel: String)
        case failure
    }

    /// The configuration of the last good cycle, with the deletes pending when the loop
    /// first planned it.
    private struct Baseline: Sendable {
        var configuration: String
        var pending: Set<String>
    }

    private var baseline: Baseline?
    /// What was last notified about each condition that still holds.
    private var notified: [Condition: String] = [:]

    public init() {}

    /// The events a good cycle raises: drift not notified yet. Clears the failure.
    public mutating func succeeded(_ observation: Observation) -> [Event] {
        var current: [Condition: (fingerprint: String, event: Event)] = [:]
        for (channel, changes) in drifted(observation) {
            let condition = Condition.state(channel: channel)
            let fingerprint = Hashing.sha256Hex(changes.map(Self.fingerprint).sorted().joined(separator: "\n"))
            current[condition] = (fingerprint: fingerprint,
                                  event: Event(kind: .drift, channel: channel,
                                               message: Self.driftMessage(changes, pending: observation.pending),
                                               condition: condition))
        }
        for (channel, suspension) in observation.suspensions {
            let condition = Condition.suspension(channel: channel)
            let fingerprint = "\(suspension.at.timeIntervalSince1970)\u{0}\(suspension.by)\u{0}\(suspension.reason)"
            current[condition] = (fingerprint: fingerprint,
                                  event: Event(kind: .drift, channel: channel,
                                               message: Self.suspensionMessage(channel, suspension),
                                               condition: condition))
        }
        return update(current) { _ in true }
    }

    /// The event a failed cycle raises: none when the same failure was notified already.
    /// Drift and suspensions are left as they were last seen.
    public mutating func failed(_ message: String) -> [Event] {
        let event = Event(kind: .applyFailed, channel: "", message: message, condition: .failure)
        return update([.failure: (fingerprint: Hashing.sha256Hex(message), event: event)]) { $0 == .failure }
    }

    /// Forgets that `event` was notified (it could not be recorded): the next cycle that
    /// sees its condition raises it again.
    public mutating func forget(_ event: Event) {
        notified[event.condition] = nil
    }

    // MARK: - Internals

    /// Remembers `current` in place of the conditions in `scope`; returns the events whose
    /// fingerprint was not notified, by channel then message.
    private mutating func update(_ current: [Condition: (fingerprint: String, event: Event)],
                                 scope: (Condition) -> Bool) -> [Event] {
        let events = current.filter { notified[$0.key] != $0.value.fingerprint }.map { $0.value.event }
        notified = notified.filter { !scope($0.key) }.merging(current.mapValues { $0.fingerprint }) { $1 }
        return events.sorted { ($0.channel, $0.message) < ($1.channel, $1.message) }
    }

    /// The drifted changes by channel ("" for connections and notifications): none unless
    /// the configuration is the one of the last good cycle, which a new one replaces.
    private mutating func drifted(_ observation: Observation) -> [String: [Change]] {
        guard let baseline, baseline.configuration == observation.configuration else {
            self.baseline = Baseline(configuration: observation.configuration, pending: observation.pending)
            return [:]
        }
        let drifted = observation.changes.filter { $0.action != .delete || !baseline.pending.contains($0.address) }
        return Dictionary(grouping: drifted) { $0.kind == .channel ? $0.name : "" }
    }

    /// What identifies a change: its address, action, fields and schedules (not the next
    /// fire times nor the counts of data, which move on their own).
    static func fingerprint(_ change: Change) -> String {
        var parts = [change.address, change.action.rawValue]
        parts += change.fields.map { "\($0.path)=\($0.before ?? "-")>\($0.after ?? "-")" }
        parts += change.schedules.map {
            "\($0.job.rawValue)@\($0.timeZone)=\($0.before?.schedule ?? "-")>\($0.after?.schedule ?? "-")"
        }
        return parts.joined(separator: "\u{0}")
    }

    static func driftMessage(_ changes: [Change], pending: Set<String>) -> String {
        func describe(_ change: Change) -> String {
            var text = "\(change.address) \(change.action.rawValue)"
            let paths = change.fields.map(\.path) + change.schedules.map { "schedule of \($0.job.rawValue)" }
            if !paths.isEmpty {
                text += " (" + paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? ", \(paths.count - 5) more" : "") + ")"
            }
            return text
        }
        let applied = changes.filter { !pending.contains($0.address) }
        let waiting = changes.filter { pending.contains($0.address) }
        var text = "the state changed outside the configuration, which did not change since the last cycle "
            + "(an apply from another checkout or an edit of the state)"
        if !applied.isEmpty { text += "; applied the configuration again: " + applied.map(describe).joined(separator: ", ") }
        if !waiting.isEmpty {
            text += "; pending (a delete needs --prune, and for a channel --confirm-delete or the label "
                + "\(ContinuousReconciler.pruneLabel): allow): " + waiting.map(describe).joined(separator: ", ")
        }
        return text
    }

    static func suspensionMessage(_ channel: String, _ suspension: Suspension) -> String {
        "channel \(channel) was suspended outside git at \(Timestamp.iso(suspension.at, zone: "UTC")) by "
            + "\(suspension.by): \(suspension.reason); reconcile keeps the suspension until `syndic resume \(channel)`"
    }
}
