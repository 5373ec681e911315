import Foundation

/// Everything one apply writes, committed in one transaction.
public struct ApplyBatch: Sendable {
    /// The serial the plan was made against; the commit fails if the state moved since.
    public var expectedSerial: Int
    public var upserts: [AppliedResource]
    public var deletions: [(kind: ResourceKind, name: String)]
    /// Resources renamed (`metadata.formerNames`): everything they own moves to the new name
    /// before the upserts, in the same transaction.
    public var renames: [ResourceRename] = []
    /// Delta snapshots whose spec digest changes only because a referenced resource was renamed:
    /// rewritten, so the next delta export does not resend everything.
    public var digestRewrites: [DigestRewrite] = []
    /// Full fingerprint maps of the upserted resources.
    public var fingerprints: [String: [String: String]]
    /// Unchanged resources whose file moved: their source path is updated without a revision.
    public var relocated: [(kind: ResourceKind, name: String, sourceFile: String)]
    /// The scheduled jobs of every upserted channel (an absent job is unscheduled).
    public var jobSchedules: [String: [JobKind: JobScheduleEntry]]
    /// History rows, in plan order.
    public var changes: [HistoryChange]
    /// The parse cache to keep after this apply (replaces the previous one).
    public var cache: [CompiledFile]
    public var user: String
    public var gitCommit: String?
    public var configDigest: String
    public var at: Date
    /// The directory apply ran in: the base of the relative file names in `upserts`, so that a
    /// worker started elsewhere still finds catalog files and local storage.
    public var baseDirectory: String?

    public init(expectedSerial: Int, upserts: [AppliedResource], deletions: [(kind: ResourceKind, name: String)],
                fingerprints: [String: [String: String]],
                relocated: [(kind: ResourceKind, name: String, sourceFile: String)] = [],
                jobSchedules: [String: [JobKind: JobScheduleEntry]] = [:],
                changes: [HistoryChange], cache: [CompiledFile],
                user: String, gitCommit: String?, configDigest: String, at: Date) {
        self.expectedSerial = expectedSerial
        self.upserts = upserts
        self.deletions = deletions
        self.fingerprints = fingerprints
        self.relocated = relocated
        self.jobSchedules = jobSchedules
        self.changes = changes
        self.cache = cache
        self.user = user
        self.gitCommit = gitCommit
        self.configDigest = configDigest
        self.at = at
    }

    /// Whether the batch changes resources (and so moves the serial).
    public var changesState: Bool { !upserts.isEmpty || !deletions.isEmpty || !changes.isEmpty || !renames.isEmpty }
}

/// A resource renamed by an apply.
public struct ResourceRename: Hashable, Sendable {
    public var kind: ResourceKind
    public var from: String
    public var to: String
    /// The fingerprints of secrets whose value did not change, from their salted form under
    /// the old address to that under the new one (a fingerprint covers the address): moved
    /// with their credential status.
    public var fingerprints: [FingerprintMove]

    public init(kind: ResourceKind, from: String, to: String, fingerprints: [FingerprintMove] = []) {
        self.kind = kind
        self.from = from
        self.to = to
        self.fingerprints = fingerprints
    }
}

/// One secret's fingerprint under a resource's old address and under its new one.
public struct FingerprintMove: Hashable, Sendable {
    public var path: String
    public var from: String
    public var to: String

    public init(path: String, from: String, to: String) {
        self.path = path
        self.from = from
        self.to = to
    }
}

/// A channel's delta-snapshot digest to rewrite from one value to another.
public struct DigestRewrite: Hashable, Sendable {
    public var channel: String
    public var from: String
    public var to: String

    public init(channel: String, from: String, to: String) {
        self.channel = channel
        self.from = from
        self.to = to
    }
}

/// One recorded field change of a revision.
public struct HistoryChange: Hashable, Sendable {
    public var address: String
    public var action: String
    public var field: String?
    public var before: String?
    public var after: String?

    public init(address: String, action: String, field: String?, before: String?, after: String?) {
        self.address = address
        self.action = action
        self.field = field
        self.before = before
        self.after = after
    }
}

/// A revision with its changes, as `syndic history` shows it.
public struct HistoryEntry: Hashable, Sendable {
    public var serial: Int
    public var operation: String
    public var at: Date
    public var user: String
    public var gitCommit: String?
    public var changes: [HistoryChange]

    public init(serial: Int, operation: String, at: Date, user: String, gitCommit: String? = nil, changes: [HistoryChange]) {
        self.serial = serial
        self.operation = operation
        self.at = at
        self.user = user
        self.gitCommit = gitCommit
        self.changes = changes
    }
}

/// The stored status of one channel, for `syndic status`.
public struct ChannelState: Sendable {
    public var resource: AppliedResource
    public var suspension: Suspension?
    public var credentials: [CredentialState]

    public init(resource: AppliedResource, suspension: Suspension? = nil, credentials: [CredentialState]) {
        self.resource = resource
        self.suspension = suspension
        self.credentials = credentials
    }
}

/// The status of one secret field.
public struct CredentialState: Hashable, Sendable {
    public var path: String
    public var status: String
    public var message: String?
    public var changedAt: Date

    public init(path: String, status: String, message: String? = nil, changedAt: Date) {
        self.path = path
        self.status = status
        self.message = message
        self.changedAt = changedAt
    }
}

/// A job's schedule and the zone it is read in, as apply stores it.
public struct JobScheduleEntry: Hashable, Sendable {
    public var schedule: Schedule
    public var timeZone: String

    public init(schedule: Schedule, timeZone: String) {
        self.schedule = schedule
        self.timeZone = timeZone
    }
}
