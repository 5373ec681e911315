import Foundation
import SyndicCore

/// The applied configuration on PostgreSQL: resources, credentials and their status,
/// suspensions, serials and history, the parse cache, and the status facts of channels —
/// the same rows and rules as `SQLiteStateStore`. As there, these writes do not check a
/// run fence (they go to `pool.write`): none of them is a job's product.
extension PostgresStateStore {
    /// The columns of `resource` an `AppliedResource` is read from.
    static let resourceColumns = "kind, name, type, spec, labels, source_file"
    /// Rows sent in one multi-row INSERT.
    static let insertBatchRows = 500

    // MARK: - Reading

    public func currentSerial() throws -> Int {
        try read { session in try Self.serial(session) }
    }

    public func fingerprintSalt() throws -> [UInt8] {
        let hex = try read { session in
            try session.value("SELECT value FROM meta WHERE key = 'salt'", as: String.self)
        } ?? ""
        return [UInt8](hexString: hex)
    }

    public func markCredentialsInvalid(kind: ResourceKind, name: String, message: String, at date: Date) throws {
        try pool.write { session in
            _ = try session.execute("""
                UPDATE credential SET status = 'invalid', status_message = ?, changed_at = ? WHERE kind = ? AND name = ?
                """, [message, date, kind.rawValue, name])
        }
    }

    public func markCredentialsValid(kind: ResourceKind, name: String, at date: Date) throws {
        try pool.write { session in
            _ = try session.execute("""
                UPDATE credential SET status = 'valid', status_message = NULL, changed_at = ?
                WHERE kind = ? AND name = ? AND status <> 'valid'
                """, [date, kind.rawValue, name])
        }
    }

    public func applyDirectory() throws -> String? {
        try read { session in
            try session.value("SELECT value FROM meta WHERE key = 'apply_directory'", as: String.self)
        }
    }

    public func loadActualState() throws -> ActualState {
        try read { session in
            var state = ActualState(serial: try Self.serial(session))
            for row in try session.rows("SELECT \(Self.resourceColumns) FROM resource") {
                guard try ResourceKind(rawValue: row.get("kind", as: String.self)) != nil else { continue }
                let applied = try Self.applied(row)
                state.resources[applied.address] = applied
            }
            // Ordered so that the problem kept for a resource with several refused paths is always the same.
            for row in try session.rows("""
                SELECT kind, name, path, fingerprint, status, status_message FROM credential
                ORDER BY kind, name, path COLLATE "C"
                """) {
                guard let kind = try ResourceKind(rawValue: row.get("kind", as: String.self)) else { continue }
                let address = try Address.of(kind, row.get("name", as: String.self))
                let path = try row.get("path", as: String.self)
                state.fingerprints[address, default: [:]][path] = try row.get("fingerprint", as: String.self)
                if try row.get("status", as: String.self) == "invalid" {
                    let message = try row.get("status_message", as: String?.self)
                    state.credentialProblems[address] = "\(path): \(message ?? "rejected")"
                }
            }
            for row in try session.rows("SELECT channel, reason, suspended_by, suspended_at FROM suspension") {
                let channel = try row.get("channel", as: String.self)
                state.suspensions[channel] = try Self.suspension(from: row)
            }
            return state
        }
    }

    public func resource(_ kind: ResourceKind, named name: String) throws -> AppliedResource? {
        try read { session in
            try session.row("SELECT \(Self.resourceColumns) FROM resource WHERE kind = ? AND name = ?",
                            [kind.rawValue, name]).map(Self.applied)
        }
    }

    public func resources(_ kind: ResourceKind) throws -> [AppliedResource] {
        try read { session in
            try session.rows("""
                SELECT \(Self.resourceColumns) FROM resource WHERE kind = ? ORDER BY name COLLATE "C"
                """, [kind.rawValue]).map(Self.applied)
        }
    }

    public func suspension(ofChannel channel: String) throws -> Suspension? {
        try read { session in try Self.suspension(session, channel: channel) }
    }

    /// An applied resource from a row of `resourceColumns`.
    static func applied(_ row: PGRow) throws -> AppliedResource {
        try AppliedResource(kind: ResourceKind(rawValue: row.get("kind", as: String.self)) ?? .channel,
                            name: row.get("name"), type: row.get("type"), specJSON: row.get("spec"),
                            labelsJSON: row.get("labels"), sourceFile: row.get("source_file"))
    }

    /// A channel's suspension, if it is suspended.
    static func suspension(_ session: PGSession, channel: String) throws -> Suspension? {
        try session.row("SELECT reason, suspended_by, suspended_at FROM suspension WHERE channel = ?", [channel])
            .map { try suspension(from: $0) }
    }

    /// A suspension from a `suspension` row.
    static func suspension(from row: PGRow) throws -> Suspension {
        try Suspension(reason: row.get("reason"), by: row.get("suspended_by"), at: row.get("suspended_at"))
    }

    public func ownedData(ofChannels channels: [String]) throws -> [String: [DataCount]] {
        guard !channels.isEmpty else { return [:] }
        return try read { session in
            var result: [String: [DataCount]] = [:]
            for channel in channels {
                result[channel] = try ChannelOwnedTable.all.map { table in
                    let condition = table.condition.map { " AND \($0)" } ?? ""
                    let count = try session.value("""
                        SELECT COUNT(*)::bigint FROM \(table.table) WHERE \(table.channelColumn) = ?\(condition)
                        """, [channel], as: Int.self) ?? 0
                    return DataCount(label: table.label, count: count)
                }
            }
            return result
        }
    }

    public func loadParseCache(displayPath: (String) -> String) throws -> [String: CompiledFile] {
        try read { session in
            var files: [String: CompiledFile] = [:]
            for row in try session.rows("SELECT path, digest, diagnostics FROM source_file") {
                let path = try row.get("path", as: String.self)
                files[path] = try CompiledFile(relativePath: path, digest: row.get("digest"), resources: [],
                                               diagnostics: Diagnostic.fromCacheJSON(row.get("diagnostics"),
                                                                                     file: displayPath(path)))
            }
            let rows = try session.rows("""
                SELECT path, kind, name, type, labels, spec, facts FROM source_resource ORDER BY path, position
                """)
            for row in rows {
                let path = try row.get("path", as: String.self)
                guard let kind = try ResourceKind(rawValue: row.get("kind", as: String.self)),
                      let resource = try CompiledResource.fromCache(
                        kind: kind, name: row.get("name"), type: row.get("type"), labelsJSON: row.get("labels"),
                        specJSON: row.get("spec"), facts: row.get("facts"), file: displayPath(path)) else {
                    files[path] = nil
                    continue
                }
                files[path]?.resources.append(resource)
            }
            return files
        }
    }

    // MARK: - Writing

    public func commit(_ batch: ApplyBatch) throws -> Int {
        try pool.write { session in
            let serial = try Self.serial(session, locking: true)
            guard serial == batch.expectedSerial else {
                throw StoreError.staleSerial(expected: batch.expectedSerial, actual: serial)
            }
            var newSerial = serial
            if batch.changesState {
                newSerial = serial + 1
                try write(batch, serial: newSerial, session: session)
            }
            for moved in batch.relocated {
                try session.execute("UPDATE resource SET source_file = ? WHERE kind = ? AND name = ?",
                                    [moved.sourceFile, moved.kind.rawValue, moved.name])
            }
            try Self.replaceParseCache(batch.cache, session: session)
            if let base = batch.baseDirectory {
                try session.execute("""
                    INSERT INTO meta (key, value) VALUES ('apply_directory', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, [base])
            }
            applyTransactionHook?()
            return newSerial
        }
    }

    /// Writes a batch that changes the state as revision `serial`: deletions with their
    /// channel-owned rows, upserts and fingerprints, schedules, the revision and its changes.
    private func write(_ batch: ApplyBatch, serial: Int, session: PGSession) throws {
        for rename in batch.renames {
            if rename.kind == .channel {
                let live = try session.rows(ResourceRenameStatements.runningRuns + " FOR UPDATE", [rename.from])
                    .map { try $0.get(0, as: Int64.self) }
                if !live.isEmpty { throw StoreError.renameWhileRunning(channel: rename.from, runIDs: live) }
            }
            for statement in ResourceRenameStatements.statements(for: rename) {
                try session.execute(statement.sql, statement.arguments.map { $0 as (any PGBind)? })
            }
        }
        for rewrite in batch.digestRewrites {
            let statement = ResourceRenameStatements.statement(for: rewrite)
            try session.execute(statement.sql, statement.arguments.map { $0 as (any PGBind)? })
        }
        for (kind, name) in batch.deletions {
            try session.execute("DELETE FROM resource WHERE kind = ? AND name = ?", [kind.rawValue, name])
            try session.execute("DELETE FROM credential WHERE kind = ? AND name = ?", [kind.rawValue, name])
            if kind == .channel {
                for table in ChannelOwnedTable.all {
                    let condition = table.condition.map { " AND \($0)" } ?? ""
                    try session.execute("DELETE FROM \(table.table) WHERE \(table.channelColumn) = ?\(condition)",
                                        [name])
                }
            }
        }
        // Channels this apply activates start their schedules from now: slots they missed while
        // inactive are not replayed. The rows apply compares with are read in one query each,
        // and written in batches: a round trip per row would make a large apply wait on the
        // network, not on the server.
        var activated: Set<String> = []
        if batch.upserts.contains(where: { $0.kind == .channel }) {
            var previous: [String: String] = [:]
            for row in try session.rows("SELECT name, spec FROM resource WHERE kind = 'Channel'") {
                previous[try row.get("name", as: String.self)] = try row.get("spec", as: String.self)
            }
            for resource in batch.upserts where resource.kind == .channel {
                guard let old = previous[resource.name] else { continue }
                let wasActive = (try? CanonicalJSON.parse(old)).map(ChannelJobs.isActive) ?? false
                let isActive = (try? CanonicalJSON.parse(resource.specJSON)).map(ChannelJobs.isActive) ?? false
                if isActive && !wasActive { activated.insert(resource.name) }
            }
        }
        try Self.insertRows(session, """
            INSERT INTO resource (kind, name, type, spec, labels, source_file, created_serial, updated_serial)
            """, batch.upserts.map { resource -> [(any PGBind)?] in
                [resource.kind.rawValue, resource.name, resource.type, resource.specJSON, resource.labelsJSON,
                 resource.sourceFile, serial, serial]
            }, suffix: """
            ON CONFLICT (kind, name) DO UPDATE SET type = excluded.type, spec = excluded.spec,
              labels = excluded.labels, source_file = excluded.source_file, updated_serial = excluded.updated_serial
            """)
        try writeFingerprints(batch, session: session)
        try Self.syncSchedules(session, batch.jobSchedules, now: batch.at, restart: activated)
        try session.execute("""
            INSERT INTO revision (serial, operation, at, "user", git_commit, config_digest)
            VALUES (?, 'apply', ?, ?, ?, ?)
            """, [serial, batch.at, batch.user, batch.gitCommit, batch.configDigest])
        let changes: [[(any PGBind)?]] = batch.changes.enumerated().map { position, row in
            [serial, position, row.address, row.action, row.field, row.before, row.after]
        }
        try Self.insertRows(
            session, "INSERT INTO revision_change (serial, position, address, action, field, before, after)", changes)
        try session.execute("UPDATE meta SET value = ? WHERE key = 'serial'", [String(serial)])
    }

    /// Keeps fingerprints that did not change (with their status), resets rotated ones.
    private func writeFingerprints(_ batch: ApplyBatch, session: PGSession) throws {
        var had: [String: [String: String]] = [:]
        for row in try session.rows("SELECT kind, name, path, fingerprint FROM credential") {
            let owner = try row.get("kind", as: String.self) + "\u{0}" + row.get("name", as: String.self)
            had[owner, default: [:]][try row.get("path", as: String.self)] = try row.get("fingerprint", as: String.self)
        }
        var writes: [[(any PGBind)?]] = []
        for resource in batch.upserts {
            let wanted = batch.fingerprints[resource.address] ?? [:]
            let current = had[resource.kind.rawValue + "\u{0}" + resource.name] ?? [:]
            for path in current.keys.sorted() where wanted[path] == nil {
                try session.execute("DELETE FROM credential WHERE kind = ? AND name = ? AND path = ?",
                                    [resource.kind.rawValue, resource.name, path])
            }
            for (path, fingerprint) in wanted.sorted(by: { $0.key < $1.key }) where current[path] != fingerprint {
                writes.append([resource.kind.rawValue, resource.name, path, fingerprint, batch.at])
            }
        }
        try Self.insertRows(session, """
            INSERT INTO credential (kind, name, path, fingerprint, status, status_message, changed_at)
            """, writes, values: "(?, ?, ?, ?, 'unknown', NULL, ?)", suffix: """
            ON CONFLICT (kind, name, path) DO UPDATE SET fingerprint = excluded.fingerprint,
              status = 'unknown', status_message = NULL, changed_at = excluded.changed_at
            """)
    }

    /// Replaces the parse cache with `files`.
    private static func replaceParseCache(_ files: [CompiledFile], session: PGSession) throws {
        try session.execute("DELETE FROM source_file")
        var fileRows: [[(any PGBind)?]] = []
        var resourceRows: [[(any PGBind)?]] = []
        for compiled in files {
            fileRows.append([compiled.relativePath, compiled.digest, Diagnostic.cacheJSON(compiled.diagnostics)])
            for (position, item) in compiled.resources.enumerated() {
                resourceRows.append([compiled.relativePath, position, item.kind.rawValue, item.name, item.type,
                                     item.labelsJSON, item.specJSON, item.cacheFacts])
            }
        }
        try insertRows(session, "INSERT INTO source_file (path, digest, diagnostics)", fileRows)
        try insertRows(session, "INSERT INTO source_resource (path, position, kind, name, type, labels, spec, facts)",
                       resourceRows)
    }

    /// Inserts `rows` with `insert` (`INSERT INTO table (columns)`), `insertBatchRows` rows a
    /// statement, so that a large apply does not wait for one round trip per row.
    static func insertRows(_ session: PGSession, _ insert: String, _ rows: [[(any PGBind)?]],
                           values tuple: String? = nil, suffix: String = "") throws {
        guard let first = rows.first else { return }
        let tuple = tuple ?? "(" + Array(repeating: "?", count: first.count).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: insertBatchRows) {
            let chunk = rows[start..<min(start + insertBatchRows, rows.count)]
            let values = Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
            try session.execute(insert + " VALUES " + values + (suffix.isEmpty ? "" : " " + suffix),
                                chunk.flatMap { $0 })
        }
    }

    public func suspend(channel: String, reason: String, by user: String, at date: Date) throws -> Int {
        try pool.write { session in
            try Self.requireChannel(channel, session: session)
            let serial = try Self.serial(session, locking: true) + 1
            let previous = try Self.suspension(session, channel: channel)?.reason
            try session.execute("""
                INSERT INTO suspension (channel, reason, suspended_by, suspended_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET reason = excluded.reason, suspended_by = excluded.suspended_by,
                  suspended_at = excluded.suspended_at
                """, [channel, reason, user, date])
            try Self.recordOperation("suspend", serial: serial, channel: channel, before: previous, after: reason,
                                     user: user, at: date, session: session)
            return serial
        }
    }

    public func resume(channel: String, by user: String, at date: Date) throws -> Int {
        try pool.write { session in
            try Self.requireChannel(channel, session: session)
            guard let suspension = try Self.suspension(session, channel: channel) else {
                throw StoreError.notSuspended(channel)
            }
            try session.execute("DELETE FROM suspension WHERE channel = ?", [channel])
            // Slots missed while suspended are not replayed.
            try Self.restartSchedules(session, channel: channel, now: date)
            let serial = try Self.serial(session, locking: true) + 1
            try Self.recordOperation("resume", serial: serial, channel: channel, before: suspension.reason, after: nil,
                                     user: user, at: date, session: session)
            return serial
        }
    }

    /// Records a suspend or resume as revision `serial`, with its one change.
    private static func recordOperation(_ operation: String, serial: Int, channel: String, before: String?,
                                        after: String?, user: String, at date: Date, session: PGSession) throws {
        try session.execute("""
            INSERT INTO revision (serial, operation, at, "user", git_commit, config_digest)
            VALUES (?, ?, ?, ?, NULL, NULL)
            """, [serial, operation, date, user])
        try session.execute("""
            INSERT INTO revision_change (serial, position, address, action, field, before, after)
            VALUES (?, 0, ?, ?, 'suspension', ?, ?)
            """, [serial, Address.of(.channel, channel), operation, before, after])
        try session.execute("UPDATE meta SET value = ? WHERE key = 'serial'", [String(serial)])
    }

    /// Throws `StoreError.unknownChannel` unless the channel is applied.
    private static func requireChannel(_ name: String, session: PGSession) throws {
        let exists = try session.row("SELECT 1 FROM resource WHERE kind = ? AND name = ?",
                                     [ResourceKind.channel.rawValue, name]) != nil
        if !exists { throw StoreError.unknownChannel(name) }
    }

    // MARK: - History and status

    public func history(address: String?, limit: Int?) throws -> [HistoryEntry] {
        try read { session in
            // The newest serials that changed the address (or anything), then their changes.
            var chosen = "SELECT DISTINCT serial FROM revision_change"
            var binds: [(any PGBind)?] = []
            if let address {
                chosen += " WHERE address = ?"
                binds.append(address)
            }
            chosen += " ORDER BY serial DESC"
            if let limit {
                chosen += " LIMIT ?"
                binds.append(limit)
            }
            let revisions = try session.rows("""
                SELECT serial, operation, at, "user", git_commit FROM revision WHERE serial IN (\(chosen))
                ORDER BY serial DESC
                """, binds)
            guard let oldest = try revisions.last?.get("serial", as: Int.self) else { return [] }
            var changes = "SELECT serial, address, action, field, before, after FROM revision_change WHERE serial >= ?"
            var changeBinds: [(any PGBind)?] = [oldest]
            if let address {
                changes += " AND address = ?"
                changeBinds.append(address)
            }
            var bySerial: [Int: [HistoryChange]] = [:]
            for row in try session.rows(changes + " ORDER BY serial DESC, position", changeBinds) {
                let serial = try row.get("serial", as: Int.self)
                let change = try HistoryChange(address: row.get("address"), action: row.get("action"),
                                               field: row.get("field"), before: row.get("before"),
                                               after: row.get("after"))
                bySerial[serial, default: []].append(change)
            }
            return try revisions.map { row -> HistoryEntry in
                let serial = try row.get("serial", as: Int.self)
                return try HistoryEntry(serial: serial, operation: row.get("operation"), at: row.get("at"),
                                        user: row.get("user"), gitCommit: row.get("git_commit"),
                                        changes: bySerial[serial] ?? [])
            }
        }
    }

    public func channelStates(named name: String?) throws -> [ChannelState] {
        try read { session in
            var query = "SELECT \(Self.resourceColumns) FROM resource WHERE kind = ?"
            var binds: [(any PGBind)?] = [ResourceKind.channel.rawValue]
            if let name {
                query += " AND name = ?"
                binds.append(name)
            }
            let rows = try session.rows(query + " ORDER BY name COLLATE \"C\"", binds)
            if let name, rows.isEmpty { throw StoreError.unknownChannel(name) }
            return try rows.map { row -> ChannelState in
                let resource = try Self.applied(row)
                let credentials = try session.rows("""
                    SELECT path, status, status_message, changed_at FROM credential WHERE kind = ? AND name = ?
                    """, [ResourceKind.channel.rawValue, resource.name]).map { credential -> CredentialState in
                    try CredentialState(path: credential.get("path"), status: credential.get("status"),
                                        message: credential.get("status_message"),
                                        changedAt: credential.get("changed_at"))
                }
                let suspension = try Self.suspension(session, channel: resource.name)
                return ChannelState(resource: resource, suspension: suspension,
                                    credentials: credentials.sorted { $0.path < $1.path })
            }
        }
    }

    /// The current serial (0 before the first apply). `locking` (writes only) holds the row
    /// until the transaction ends, so that concurrent writers of a serial queue up.
    static func serial(_ session: PGSession, locking: Bool = false) throws -> Int {
        let sql = "SELECT value FROM meta WHERE key = 'serial'" + (locking ? " FOR UPDATE" : "")
        return Int(try session.value(sql, as: String.self) ?? "0") ?? 0
    }
}
