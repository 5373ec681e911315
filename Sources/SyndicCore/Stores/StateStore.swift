import Foundation

/// The whole state, on SQLite (`SQLiteStateStore`) or PostgreSQL (`PostgresStateStore`):
/// the stores named by what they serve, which parts of syndic receive one by one.
public protocol StateStore: ConfigurationStore, RunQueue, ExportStore, OrderStore, APIStore, ConsoleStore, Sendable {
    /// The same state for one run attempt: each of its writes first checks, in its own
    /// transaction, that the attempt still holds the run's lease, and is refused
    /// (`StoreError.fenced`) once another worker took the run back.
    func fenced(by fence: RunFence) -> any StateStore
    /// Takes the exclusive apply lock, waiting up to `timeout` seconds (0: fail at once);
    /// held until the returned object is released, and released by the system when the
    /// process dies. Throws `StoreError.locked` naming the holder.
    func lockForApply(timeout: Double, holder: String) throws -> AnyObject
    /// Where the state is, without secrets (a file path or a `postgres://` URL).
    var locationDescription: String { get }
}

/// The applied configuration: resources, credentials and their status, suspensions,
/// serials and history, the parse cache, and the status facts of channels.
public protocol ConfigurationStore: Sendable {    /// The directory the last apply ran in (relative file names in resources start there).
    func applyDirectory() throws -> String?
    /// Marks a resource's credentials invalid after the remote refused them;
    /// `status` and `plan` show it until the secrets rotate.
    func markCredentialsInvalid(kind: ResourceKind, name: String, message: String, at date: Date) throws
    /// Marks a resource's credentials valid after a remote accepted them: a successful run
    /// clears an earlier refusal.
    func markCredentialsValid(kind: ResourceKind, name: String, at date: Date) throws
    /// The current serial (0 before the first apply).
    func currentSerial() throws -> Int
    /// The salt of secret fingerprints, created with the state.
    func fingerprintSalt() throws -> [UInt8]
    /// Everything the planner needs about the applied state (owned-data counts excepted:
    /// `ownedData(ofChannels:)` gives them for the channels a plan deletes).
    func loadActualState() throws -> ActualState
    /// One applied resource.
    func resource(_ kind: ResourceKind, named name: String) throws -> AppliedResource?
    /// Every applied resource of a kind.
    func resources(_ kind: ResourceKind) throws -> [AppliedResource]
    /// Whether a channel is suspended (and why).
    func suspension(ofChannel channel: String) throws -> Suspension?
    /// Per channel, how many rows of each channel-owned table a delete would remove.
    func ownedData(ofChannels channels: [String]) throws -> [String: [DataCount]]
    /// Cached compiled files by relative path, with diagnostics located in `displayPath(path)`.
    func loadParseCache(displayPath: (String) -> String) throws -> [String: CompiledFile]
    /// Commits one apply in one transaction; returns the new serial (unchanged when the
    /// batch changes nothing).
    func commit(_ batch: ApplyBatch) throws -> Int
    /// Suspends a channel outside git; returns the new serial.
    func suspend(channel: String, reason: String, by user: String, at date: Date) throws -> Int
    /// Lifts a suspension; returns the new serial.
    func resume(channel: String, by user: String, at date: Date) throws -> Int
    /// Revisions, newest first, restricted to one address when given.
    func history(address: String?, limit: Int?) throws -> [HistoryEntry]
    /// Status facts of the applied channels (all, or one).
    func channelStates(named name: String?) throws -> [ChannelState]
}
