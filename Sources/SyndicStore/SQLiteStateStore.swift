import Foundation
import GRDB
import SyndicCore

/// The embedded state: a SQLite database in WAL mode through GRDB.
public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    public let path: String
    let pool: DatabasePool
    /// The run attempt whose writes these are, checked before each write; nil for the
    /// commands, the executor and the server.
    let fence: RunFence?
    /// Test seam: called inside the apply transaction, after its writes and before the
    /// commit, so a crash-safety test can stop the process there. Nil outside tests; only
    /// debug builds of the command line install one.
    public var applyTransactionHook: (@Sendable () -> Void)?

    /// Opens (creating and migrating) the state at `path`.
    /// The same database for `fence`'s writes.
    private init(sharing store: SQLiteStateStore, fence: RunFence) {
        path = store.path
        pool = store.pool
        self.fence = fence
        applyTransactionHook = store.applyTransactionHook
    }

    public func fenced(by fence: RunFence) -> any StateStore {
        SQLiteStateStore(sharing: self, fence: fence)
    }

    public func lockForApply(timeout: Double, holder: String) throws -> AnyObject {
        try StateLock(statePath: path, timeout: timeout, holder: holder)
    }

    public var locationDescription: String { path }

    /// A write transaction, refused when the store is fenced and the fence no longer holds.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.write { db in
            try fence?.check(db)
            return try updates(db)
        }
    }

    /// A write transaction like `write` for importing a file that is deleted once its rows
    /// are stored: its commit is on disk before this returns, and SQLite does not check
    /// foreign keys in it. The connection's settings are as they were when it ends, committed
    /// or not.
    ///
    /// - The state otherwise commits without syncing (`synchronous = NORMAL`: a power loss may
    ///   roll back the last commits). Here that would lose the rows of a file already
    ///   deleted, so the commit syncs the write-ahead log (`FULL`).
    /// - Every reference the import writes is to a row it read in the same transaction or
    ///   wrote itself, and the write lock is held from the transaction's start, so nothing
    ///   deletes what it refers to. SQLite checks a foreign key with a lookup of the parent
    ///   row, and a statement of many rows that may fail a key check keeps a journal of every
    ///   page it changes so that it can undo itself alone; without the checks neither happens.
    func writeImport<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            // Set before the transaction begins: inside one, SQLite ignores the first and
            // refuses the second.
            let foreignKeys = try Int.fetchOne(db, sql: "PRAGMA foreign_keys") ?? 1
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
            try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA synchronous = FULL")
            let outcome = Result<T, Error> {
                var result: T?
                try db.inTransaction(.immediate) {
                    try fence?.check(db)
                    result = try updates(db)
                    return .commit
                }
                return result!
            }
            try db.execute(sql: "PRAGMA foreign_keys = \(foreignKeys); PRAGMA synchronous = \(synchronous)")
            return try outcome.get()
        }
    }

    public init(path: String) throws {
        SQLiteProcessSettings.apply()
        self.path = path
        fence = nil
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        // Readable by its owner only: SQLite gives the WAL and shared-memory files the mode
        // of the database file, so a new state is made 0600 before SQLite opens it.
        if path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: a crashed process never loses or tears a commit; only
        // a power loss may roll back the last commits (docs/state.md).
        configuration.prepareDatabase { db in
            // 16 KiB pages for a new state (before it turns to WAL, which fixes the size; an
            // existing state keeps its own): a quarter of the pages of 4 KiB ones, so a quarter
            // of the page lookups, WAL frames and checkpoint writes for the same rows.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 32 MB of page cache per connection: the order tables outgrow the 8 MB default.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Deleted rows are zeroed where that costs no extra write (their page is written
            // anyway); freed pages are not rewritten with zeros, which would double the writes
            // of replacing an export's snapshot (some SQLite builds zero them by default).
            try db.execute(sql: "PRAGMA secure_delete = FAST")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            Self.makeOwnerOnly(path)
            // Readers never wait for a running apply: the write happens only on a new state.
            let migrator = StateMigrations.migrator
            let known = Set(migrator.migrations)
            if let newer = try pool.read({ db in try migrator.appliedIdentifiers(db) }).subtracting(known).sorted().first {
                throw StoreError.unavailable(path: path, reason: "the database was written by a newer syndic "
                    + "(migration \(newer)); upgrade syndic on this host")
            }
            if try !pool.read(migrator.hasCompletedMigrations) { try migrator.migrate(pool) }
            let hasSalt = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'salt'") != nil
            }
            if !hasSalt { try pool.write { db in
                if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'salt'") == nil {
                    let salt = (0..<32).map { _ in UInt8.random(in: 0...255) }.hexString
                    try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('salt', ?), ('serial', '0')",
                                   arguments: [salt])
                }
            } }
        } catch let error as DatabaseError {
            throw StoreError.unavailable(path: path, reason: error.message ?? "\(error)")
        }
    }

    // MARK: - Reading

    public func currentSerial() throws -> Int {
        try pool.read { db in try Self.serial(db) }
    }

    public func fingerprintSalt() throws -> [UInt8] {
        let hex = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'salt'") } ?? ""
        return [UInt8](hexString: hex)
    }

    public func markCredentialsInvalid(kind: ResourceKind, name: String, message: String, at date: Date) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE credential SET status = 'invalid', status_message = ?, changed_at = ? WHERE kind = ? AND name = ?
                """, arguments: [message, date, kind.rawValue, name])
        }
    }

    public func markCredentialsValid(kind: ResourceKind, name: String, at date: Date) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE credential SET status = 'valid', status_message = NULL, changed_at = ?
                WHERE kind = ? AND name = ? AND status <> 'valid'
                """, arguments: [date, kind.rawValue, name])
        }
    }

    public func applyDirectory() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'apply_directory'") }
    }

    public func loadActualState() throws -> ActualState {
        try pool.read { db in
            var state = ActualState(serial: try Self.serial(db))
            for record in try ResourceRecord.fetchAll(db) {
                guard let kind = ResourceKind(rawValue: record.kind) else { continue }
                let applied = AppliedResource(kind: kind, name: record.name, type: record.type, specJSON: record.spec,
                                              labelsJSON: record.labels, sourceFile: record.sourceFile)
                state.resources[applied.address] = applied
            }
            for credential in try CredentialRecord.fetchAll(db) {
                guard let kind = ResourceKind(rawValue: credential.kind) else { continue }
                let address = Address.of(kind, credential.name)
                state.fingerprints[address, default: [:]][credential.path] = credential.fingerprint
                if credential.status == "invalid" {
                    state.credentialProblems[address] = "\(credential.path): \(credential.statusMessage ?? "rejected")"
                }
            }
            for suspension in try SuspensionRecord.fetchAll(db) {
                state.suspensions[suspension.channel] = Suspension(reason: suspension.reason, by: suspension.suspendedBy,
                                                                   at: suspension.suspendedAt)
            }
            return state
        }
    }

    public func resource(_ kind: ResourceKind, named name: String) throws -> AppliedResource? {
        try pool.read { db in
            try ResourceRecord.filter(ResourceRecord.Columns.kind == kind.rawValue && ResourceRecord.Columns.name == name)
                .fetchOne(db).map(Self.applied)
        }
    }

    public func resources(_ kind: ResourceKind) throws -> [AppliedResource] {
        try pool.read { db in
            try ResourceRecord.filter(ResourceRecord.Columns.kind == kind.rawValue).order(ResourceRecord.Columns.name)
                .fetchAll(db).map(Self.applied)
        }
    }

    public func suspension(ofChannel channel: String) throws -> Suspension? {
        try pool.read { db in
            try SuspensionRecord.fetchOne(db, key: channel).map {
                Suspension(reason: $0.reason, by: $0.suspendedBy, at: $0.suspendedAt)
            }
        }
    }

    static func applied(_ record: ResourceRecord) -> AppliedResource {
        AppliedResource(kind: ResourceKind(rawValue: record.kind) ?? .channel, name: record.name, type: record.type,
                        specJSON: record.spec, labelsJSON: record.labels, sourceFile: record.sourceFile)
    }

    public func ownedData(ofChannels channels: [String]) throws -> [String: [DataCount]] {
        guard !channels.isEmpty else { return [:] }
        return try pool.read { db in
            var result: [String: [DataCount]] = [:]
            for channel in channels {
                result[channel] = try ChannelOwnedTable.all.map { table in
                    let condition = table.condition.map { " AND \($0)" } ?? ""
                    let count = try Int.fetchOne(db, sql: """
                        SELECT COUNT(*) FROM \(table.table) WHERE \(table.channelColumn) = ?\(condition)
                        """, arguments: [channel]) ?? 0
                    return DataCount(label: table.label, count: count)
                }
            }
            return result
        }
    }

    public func loadParseCache(displayPath: (String) -> String) throws -> [String: CompiledFile] {
        try pool.read { db in
            var files: [String: CompiledFile] = [:]
            for file in try SourceFileRecord.fetchAll(db) {
                files[file.path] = CompiledFile(relativePath: file.path, digest: file.digest, resources: [],
                                                diagnostics: Diagnostic.fromCacheJSON(file.diagnostics,
                                                                                      file: displayPath(file.path)))
            }
            let rows = try SourceResourceRecord.order(Column("path"), Column("position")).fetchAll(db)
            for row in rows {
                guard let kind = ResourceKind(rawValue: row.kind),
                      let resource = CompiledResource.fromCache(
                        kind: kind, name: row.name, type: row.type, labelsJSON: row.labels, specJSON: row.spec,
                        facts: row.facts, file: displayPath(row.path)) else {
                    files[row.path] = nil
                    continue
                }
                files[row.path]?.resources.append(resource)
            }
            return files
        }
    }

    // MARK: - Writing

    public func commit(_ batch: ApplyBatch) throws -> Int {
        try pool.write { db in
            let serial = try Self.serial(db)
            guard serial == batch.expectedSerial else {
                throw StoreError.staleSerial(expected: batch.expectedSerial, actual: serial)
            }
            var newSerial = serial
            if batch.changesState {
                newSerial = serial + 1
                try write(batch, serial: newSerial, db: db)
            }
            for moved in batch.relocated {
                try db.execute(sql: "UPDATE resource SET source_file = ? WHERE kind = ? AND name = ?",
                               arguments: [moved.sourceFile, moved.kind.rawValue, moved.name])
            }
            try Self.replaceParseCache(batch.cache, db: db)
            if let base = batch.baseDirectory {
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('apply_directory', ?)", arguments: [base])
            }
            applyTransactionHook?()
            return newSerial
        }
    }

    private func write(_ batch: ApplyBatch, serial: Int, db: Database) throws {
        for rename in batch.renames {
            if rename.kind == .channel {
                let live = try Int64.fetchAll(db, sql: ResourceRenameStatements.runningRuns, arguments: [rename.from])
                if !live.isEmpty { throw StoreError.renameWhileRunning(channel: rename.from, runIDs: live) }
            }
            for statement in ResourceRenameStatements.statements(for: rename) {
                try db.execute(sql: statement.sql, arguments: StatementArguments(statement.arguments))
            }
        }
        for rewrite in batch.digestRewrites {
            let statement = ResourceRenameStatements.statement(for: rewrite)
            try db.execute(sql: statement.sql, arguments: StatementArguments(statement.arguments))
        }
        for (kind, name) in batch.deletions {
            try ResourceRecord.filter(ResourceRecord.Columns.kind == kind.rawValue && ResourceRecord.Columns.name == name)
                .deleteAll(db)
            try CredentialRecord.filter(CredentialRecord.Columns.kind == kind.rawValue && CredentialRecord.Columns.name == name)
                .deleteAll(db)
            if kind == .channel {
                for table in ChannelOwnedTable.all {
                    let condition = table.condition.map { " AND \($0)" } ?? ""
                    try db.execute(sql: "DELETE FROM \(table.table) WHERE \(table.channelColumn) = ?\(condition)",
                                   arguments: [name])
                }
            }
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO resource (kind, name, type, spec, labels, source_file, created_serial, updated_serial)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, name) DO UPDATE SET type = excluded.type, spec = excluded.spec,
              labels = excluded.labels, source_file = excluded.source_file, updated_serial = excluded.updated_serial
            """)
        // Channels this apply activates start their schedules from now: slots they missed while
        // inactive are not replayed.
        var activated: Set<String> = []
        let previous = try db.cachedStatement(sql: "SELECT spec FROM resource WHERE kind = 'Channel' AND name = ?")
        for resource in batch.upserts where resource.kind == .channel {
            guard let old = try String.fetchOne(previous, arguments: [resource.name]) else { continue }
            let wasActive = (try? CanonicalJSON.parse(old)).map(ChannelJobs.isActive) ?? false
            let isActive = (try? CanonicalJSON.parse(resource.specJSON)).map(ChannelJobs.isActive) ?? false
            if isActive && !wasActive { activated.insert(resource.name) }
        }
        for resource in batch.upserts {
            try upsert.execute(arguments: [resource.kind.rawValue, resource.name, resource.type, resource.specJSON,
                                           resource.labelsJSON, resource.sourceFile, serial, serial])
            try writeFingerprints(batch.fingerprints[resource.address] ?? [:], for: resource, at: batch.at, db: db)
        }
        for channel in batch.jobSchedules.keys.sorted() {
            try Self.syncSchedules(db, channel: channel, wanted: batch.jobSchedules[channel]!, now: batch.at,
                                   restart: activated.contains(channel))
        }
        try RevisionRecord(serial: serial, operation: "apply", at: batch.at, user: batch.user,
                           gitCommit: batch.gitCommit, configDigest: batch.configDigest).insert(db)
        let change = try db.cachedStatement(sql: """
            INSERT INTO revision_change (serial, position, address, action, field, before, after)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, row) in batch.changes.enumerated() {
            try change.execute(arguments: [serial, position, row.address, row.action, row.field, row.before, row.after])
        }
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'serial'", arguments: [String(serial)])
    }

    /// Keeps fingerprints that did not change (with their status), resets rotated ones.
    private func writeFingerprints(_ wanted: [String: String], for resource: AppliedResource, at date: Date,
                                   db: Database) throws {
        let current = try Row.fetchAll(db.cachedStatement(sql: "SELECT path, fingerprint FROM credential WHERE kind = ? AND name = ?"),
                                       arguments: [resource.kind.rawValue, resource.name])
        var had: [String: String] = [:]
        for row in current { had[row["path"]] = row["fingerprint"] }
        let remove = try db.cachedStatement(sql: "DELETE FROM credential WHERE kind = ? AND name = ? AND path = ?")
        for path in had.keys where wanted[path] == nil {
            try remove.execute(arguments: [resource.kind.rawValue, resource.name, path])
        }
        let write = try db.cachedStatement(sql: """
            INSERT INTO credential (kind, name, path, fingerprint, status, status_message, changed_at)
            VALUES (?, ?, ?, ?, 'unknown', NULL, ?)
            ON CONFLICT (kind, name, path) DO UPDATE SET fingerprint = excluded.fingerprint,
              status = 'unknown', status_message = NULL, changed_at = excluded.changed_at
            """)
        for (path, fingerprint) in wanted where had[path] != fingerprint {
            try write.execute(arguments: [resource.kind.rawValue, resource.name, path, fingerprint, date])
        }
    }

    private static func replaceParseCache(_ files: [CompiledFile], db: Database) throws {
        try db.execute(sql: "DELETE FROM source_file")
        let file = try db.cachedStatement(sql: "INSERT INTO source_file (path, digest, diagnostics) VALUES (?, ?, ?)")
        let resource = try db.cachedStatement(sql: """
            INSERT INTO source_resource (path, position, kind, name, type, labels, spec, facts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for compiled in files {
            try file.execute(arguments: [compiled.relativePath, compiled.digest, Diagnostic.cacheJSON(compiled.diagnostics)])
            for (position, item) in compiled.resources.enumerated() {
                try resource.execute(arguments: [compiled.relativePath, position, item.kind.rawValue, item.name, item.type,
                                                 item.labelsJSON, item.specJSON, item.cacheFacts])
            }
        }
    }

    public func suspend(channel: String, reason: String, by user: String, at date: Date) throws -> Int {
        try pool.write { db in
            try Self.requireChannel(channel, db: db)
            let serial = try Self.serial(db) + 1
            let previous = try SuspensionRecord.fetchOne(db, key: channel)?.reason
            try SuspensionRecord(channel: channel, reason: reason, suspendedBy: user, suspendedAt: date).save(db)
            try Self.recordOperation("suspend", serial: serial, channel: channel, before: previous, after: reason,
                                     user: user, at: date, db: db)
            return serial
        }
    }

    public func resume(channel: String, by user: String, at date: Date) throws -> Int {
        try pool.write { db in
            try Self.requireChannel(channel, db: db)
            guard let suspension = try SuspensionRecord.fetchOne(db, key: channel) else {
                throw StoreError.notSuspended(channel)
            }
            let reason = suspension.reason
            try suspension.delete(db)
            // Slots missed while suspended are not replayed.
            try Self.restartSchedules(db, channel: channel, now: date)
            let serial = try Self.serial(db) + 1
            try Self.recordOperation("resume", serial: serial, channel: channel, before: reason, after: nil, user: user,
                                     at: date, db: db)
            return serial
        }
    }

    private static func recordOperation(_ operation: String, serial: Int, channel: String, before: String? = nil,
                                        after: String?, user: String, at date: Date, db: Database) throws {
        try RevisionRecord(serial: serial, operation: operation, at: date, user: user, gitCommit: nil,
                           configDigest: nil).insert(db)
        try RevisionChangeRecord(serial: serial, position: 0, address: Address.of(.channel, channel),
                                 action: operation, field: "suspension", before: before, after: after).insert(db)
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'serial'", arguments: [String(serial)])
    }

    private static func requireChannel(_ name: String, db: Database) throws {
        let exists = try ResourceRecord.filter(ResourceRecord.Columns.kind == ResourceKind.channel.rawValue
                                               && ResourceRecord.Columns.name == name).fetchCount(db) > 0
        if !exists { throw StoreError.unknownChannel(name) }
    }

    // MARK: - History and status

    public func history(address: String?, limit: Int?) throws -> [HistoryEntry] {
        try pool.read { db in
            var changes = RevisionChangeRecord.order(RevisionChangeRecord.Columns.serial.desc,
                                                     RevisionChangeRecord.Columns.position)
            if let address { changes = changes.filter(RevisionChangeRecord.Columns.address == address) }
            let rows = try changes.fetchAll(db)
            var serials: [Int] = []
            var bySerial: [Int: [HistoryChange]] = [:]
            for row in rows {
                if bySerial[row.serial] == nil { serials.append(row.serial) }
                bySerial[row.serial, default: []].append(HistoryChange(address: row.address, action: row.action,
                                                                       field: row.field, before: row.before, after: row.after))
            }
            if let limit { serials = Array(serials.prefix(limit)) }
            let revisions = try RevisionRecord.filter(keys: serials).fetchAll(db)
            let bySerialRevision = Dictionary(uniqueKeysWithValues: revisions.map { ($0.serial, $0) })
            return serials.compactMap { serial in
                guard let revision = bySerialRevision[serial] else { return nil }
                return HistoryEntry(serial: serial, operation: revision.operation, at: revision.at, user: revision.user,
                                    gitCommit: revision.gitCommit, changes: bySerial[serial] ?? [])
            }
        }
    }

    public func channelStates(named name: String?) throws -> [ChannelState] {
        try pool.read { db in
            var request = ResourceRecord.filter(ResourceRecord.Columns.kind == ResourceKind.channel.rawValue)
            if let name { request = request.filter(ResourceRecord.Columns.name == name) }
            let records = try request.order(ResourceRecord.Columns.name).fetchAll(db)
            if let name, records.isEmpty { throw StoreError.unknownChannel(name) }
            return try records.map { record in
                let suspension = try SuspensionRecord.fetchOne(db, key: record.name)
                let credentials = try CredentialRecord
                    .filter(CredentialRecord.Columns.kind == ResourceKind.channel.rawValue
                            && CredentialRecord.Columns.name == record.name)
                    .fetchAll(db).sorted { $0.path < $1.path }
                return ChannelState(
                    resource: AppliedResource(kind: .channel, name: record.name, type: record.type, specJSON: record.spec,
                                              labelsJSON: record.labels, sourceFile: record.sourceFile),
                    suspension: suspension.map { Suspension(reason: $0.reason, by: $0.suspendedBy, at: $0.suspendedAt) },
                    credentials: credentials.map {
                        CredentialState(path: $0.path, status: $0.status, message: $0.statusMessage, changedAt: $0.changedAt)
                    })
            }
        }
    }

    static func serial(_ db: Database) throws -> Int {
        Int(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'serial'") ?? "0") ?? 0
    }

    /// Takes group and other permissions off the state's files (a state made by an earlier
    /// version, or copied in), leaving the owner's.
    static func makeOwnerOnly(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int,
                  mode & 0o077 != 0 else { continue }
            try? FileManager.default.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: file)
        }
    }
}
