import Foundation
import Testing

/// `--format json` of `runs`, `runs show`, `status`, `history` and `token list` through the
/// shipped binary: each document parses as JSON and has exactly the keys docs/json.md lists,
/// each of the documented type; optional keys are absent rather than null; the token list never
/// carries a token or its hash.
@Suite struct JSONOutputTests {
    // MARK: - Documented shapes (docs/json.md)

    /// The JSON types the documents use.
    enum Kind: String, Sendable {
        case string, integer, boolean, array, object
    }

    /// The keys of one object: those always present and those present only when they apply.
    struct Shape: Sendable {
        var required: [String: Kind]
        var optional: [String: Kind] = [:]
    }

    static let run = Shape(
        required: ["id": .integer, "channel": .string, "job": .string, "trigger": .string, "dry_run": .boolean,
                   "full": .boolean, "force": .boolean, "status": .string, "attempt": .integer, "max_attempts": .integer,
                   "queued_at": .string, "not_before": .string, "cancel_requested": .boolean, "counts": .object],
        optional: ["slot": .string, "started_at": .string, "finished_at": .string, "worker": .string, "error": .string])
    static let runs = Shape(required: ["format_version": .string, "runs": .array])
    static let runShow = Shape(
        required: ["format_version": .string, "run": .object, "exports": .array, "files": .array, "log": .array],
        optional: ["report": .string])
    static let export = Shape(
        required: ["mode": .string, "at": .string, "sent": .integer, "products": .array, "products_recorded": .integer],
        optional: ["file": .string])
    static let file = Shape(required: ["name": .string, "size": .integer])
    static let logLine = Shape(required: ["at": .string, "level": .string, "message": .string])
    static let status = Shape(required: ["format_version": .string, "serial": .integer, "channels": .array])
    static let channel = Shape(
        required: ["name": .string, "type": .string, "active": .boolean, "fires": .boolean, "credential_summary": .string,
                   "credentials": .array, "source_file": .string, "time_zone": .string, "schedules": .array,
                   "pending": .array, "last_runs": .array],
        optional: ["suspension": .object, "next_run": .object])
    static let suspension = Shape(required: ["reason": .string, "by": .string, "at": .string])
    static let credential = Shape(required: ["path": .string, "status": .string, "changed_at": .string],
                                  optional: ["message": .string])
    static let schedule = Shape(required: ["job": .string, "schedule": .string, "next": .array])
    static let nextRun = Shape(required: ["job": .string, "time": .string])
    static let history = Shape(required: ["format_version": .string, "revisions": .array], optional: ["address": .string])
    static let revision = Shape(
        required: ["serial": .integer, "operation": .string, "at": .string, "user": .string, "changes": .array],
        optional: ["git_commit": .string])
    static let change = Shape(required: ["address": .string, "action": .string],
                              optional: ["field": .string, "before": .string, "after": .string])
    static let tokens = Shape(required: ["format_version": .string, "tokens": .array])
    static let token = Shape(required: ["id": .integer, "name": .string, "prefix": .string, "created_at": .string],
                             optional: ["last_used_at": .string, "revoked_at": .string])

    // MARK: - Scenario

    /// Fixture v1 applied with a catalog: run 1 a dry run of feed's export (it keeps a file),
    /// run 2 the real export (an export record), run 3 queued for old_partner; mirakl_fr
    /// suspended (serial 2); tokens `erp` and `old`, the second revoked. Returns the token of `erp`.
    static func workspace() throws -> (Workspace, SyndicProcess, token: String) {
        let workspace = try Workspace()
        try workspace.use(fixture: "v1")
        try workspace.write("channels/catalog.jsonl", ProductExportCommandTests.catalog)
        let syndic = Scenario.syndic(workspace)
        var token = ""
        for arguments in [["apply"], ["run", "feed", "product-export", "--dry-run", "--wait"],
                          ["run", "feed", "product-export", "--wait"], ["run", "old_partner", "product-export"],
                          ["suspend", "mirakl_fr", "--reason", "price error"], ["token", "create", "--name", "erp"],
                          ["token", "create", "--name", "old"], ["token", "revoke", "old"]] {
            let result = try syndic.run(arguments)
            precondition(result.status == 0, "\(arguments) failed: \(result.stdout)\(result.stderr)")
            if arguments.last == "erp" { token = result.stdout.trimmingCharacters(in: .newlines) }
        }
        return (workspace, syndic, token)
    }

    // MARK: - Checks

    /// Runs `arguments --format json` and parses its output as one JSON object.
    func document(_ syndic: SyndicProcess, _ arguments: [String],
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> (object: [String: Any], text: String) {
        let result = try syndic.run(arguments + ["--format", "json"])
        try #require(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let object = try #require(parsed as? [String: Any], "\(arguments) printed no JSON object", sourceLocation: sourceLocation)
        #expect(object["format_version"] as? String == "1", sourceLocation: sourceLocation)
        return (object, result.stdout)
    }

    static let booleanType = String(cString: NSNumber(value: true).objCType)

    /// The JSON type of a value JSONSerialization returned (nil for null and fractions).
    static func kind(of value: Any) -> Kind? {
        if value is String { return .string }
        if let number = value as? NSNumber {
            let type = String(cString: number.objCType)
            if type == booleanType { return .boolean }
            return type == "d" || type == "f" ? nil : .integer
        }
        if value is Bool { return .boolean }
        if value is Int { return .integer }
        if value is [String: Any] { return .object }
        if value is [Any] { return .array }
        return nil
    }

    /// Checks that `object` has every required key, no key the shape does not list, and each
    /// value of its documented type; dates are ISO 8601 UTC with `Z`.
    func check(_ object: Any?, _ shape: Shape, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let object = object as? [String: Any] else {
            Issue.record("\(what) is not an object", sourceLocation: sourceLocation)
            return
        }
        let keys = Set(object.keys)
        let missing = Set(shape.required.keys).subtracting(keys)
        let unknown = keys.subtracting(shape.required.keys).subtracting(shape.optional.keys)
        #expect(missing.isEmpty, "\(what) lacks \(missing.sorted())", sourceLocation: sourceLocation)
        #expect(unknown.isEmpty, "\(what) has undocumented keys \(unknown.sorted())", sourceLocation: sourceLocation)
        for (key, value) in object {
            guard let expected = shape.required[key] ?? shape.optional[key] else { continue }
            let actual = Self.kind(of: value)
            #expect(actual == expected, "\(what).\(key) is \(actual?.rawValue ?? "null"), documented \(expected.rawValue)",
                    sourceLocation: sourceLocation)
            if key == "at" || key.hasSuffix("_at") || key == "not_before" || key == "slot" {
                let text = value as? String ?? ""
                #expect(text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil,
                        "\(what).\(key) = \(text) is not ISO 8601 UTC", sourceLocation: sourceLocation)
            }
        }
    }

    /// The objects of an array value.
    func items(_ value: Any?) -> [[String: Any]] { (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

    // MARK: - Tests

    @Test func runsAndRunsShowDocuments() throws {
        let (workspace, syndic, _) = try Self.workspace()
        defer { workspace.remove() }

        let (list, text) = try document(syndic, ["runs"])
        check(list, Self.runs, "runs")
        #expect(text.hasPrefix("{\n  \"format_version\" : \"1\",\n  \"runs\" : ["), "pretty, keys sorted: \(text)")
        let runs = items(list["runs"])
        try #require(runs.map { $0["id"] as? Int } == [3, 2, 1])
        for run in runs { check(run, Self.run, "runs[\(run["id"] ?? "?")]") }
        #expect(runs.map { $0["status"] as? String } == ["queued", "succeeded", "succeeded"])
        #expect(runs.map { $0["dry_run"] as? Bool } == [false, false, true])
        #expect(runs.map { $0["job"] as? String } == ["product-export", "product-export", "product-export"])
        #expect(runs[0]["finished_at"] == nil && runs[1]["finished_at"] != nil, "absent, never null")
        let textFormat = try syndic.run(["runs", "--format", "text"]), defaultFormat = try syndic.run(["runs"])
        #expect(textFormat.stdout == defaultFormat.stdout)
        let none = try document(syndic, ["runs", "--status", "held"]).object
        #expect((none["runs"] as? [Any])?.isEmpty == true)

        let dryRun = try document(syndic, ["runs", "show", "1"]).object
        check(dryRun, Self.runShow, "runs show 1")
        check(dryRun["run"], Self.run, "runs show 1: run")
        #expect(dryRun["report"] is String)
        let files = items(dryRun["files"])
        #expect(files.count == 1)
        for file in files { check(file, Self.file, "runs show 1: files[]") }
        #expect((files.first?["name"] as? String)?.hasSuffix(".csv") == true)
        let log = items(dryRun["log"])
        #expect(!log.isEmpty)
        for line in log { check(line, Self.logLine, "runs show 1: log[]") }

        let exported = try document(syndic, ["runs", "show", "2"]).object
        check(exported, Self.runShow, "runs show 2")
        let exports = items(exported["exports"])
        #expect(exports.count == 1)
        for export in exports { check(export, Self.export, "runs show 2: exports[]") }
        #expect(((exports.first?["products"] as? [Any]) ?? [1]).allSatisfy { $0 is String })

        let queued = try document(syndic, ["runs", "show", "3"]).object
        check(queued, Self.runShow, "runs show 3")
        #expect(queued["report"] == nil)

        let missing = try syndic.run(["runs", "show", "99", "--format", "json"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        let raw = try syndic.run(["runs", "show", "1", "--file", "x.csv", "--format", "json"])
        #expect(raw.status == 64)
        #expect(raw.stderr.contains("--file prints the file as it was kept; it does not take --format json"))
    }

    @Test func statusDocument() throws {
        let (workspace, syndic, _) = try Self.workspace()
        defer { workspace.remove() }

        let all = try document(syndic, ["status"]).object
        check(all, Self.status, "status")
        #expect(all["serial"] as? Int == 2)
        let channels = Dictionary(uniqueKeysWithValues: items(all["channels"]).map { ($0["name"] as? String ?? "", $0) })
        #expect(channels.keys.sorted() == ["feed", "mirakl_fr", "old_partner"])
        for (name, channel) in channels {
            check(channel, Self.channel, "status: \(name)")
            if let suspension = channel["suspension"] { check(suspension, Self.suspension, "\(name).suspension") }
            for credential in items(channel["credentials"]) { check(credential, Self.credential, "\(name).credentials[]") }
            for schedule in items(channel["schedules"]) { check(schedule, Self.schedule, "\(name).schedules[]") }
            if let next = channel["next_run"] { check(next, Self.nextRun, "\(name).next_run") }
            for run in items(channel["pending"]) + items(channel["last_runs"]) { check(run, Self.run, "\(name) runs[]") }
        }

        let mirakl = try #require(channels["mirakl_fr"])
        #expect((mirakl["suspension"] as? [String: Any])?["reason"] as? String == "price error")
        #expect(mirakl["fires"] as? Bool == false)
        #expect(mirakl["next_run"] == nil, "a suspended channel fires nothing")
        #expect(mirakl["time_zone"] as? String == "Europe/Paris")
        #expect(mirakl["credential_summary"] as? String == "not yet used")
        #expect(items(mirakl["credentials"]).map { $0["status"] as? String } == ["unknown"])
        let oldPartner = try #require(channels["old_partner"])
        #expect(oldPartner["suspension"] == nil)
        #expect(items(oldPartner["pending"]).map { $0["id"] as? Int } == [3])
        #expect((oldPartner["next_run"] as? [String: Any])?["job"] as? String == "product-export")
        let feed = try #require(channels["feed"])
        #expect(items(feed["last_runs"]).map { $0["id"] as? Int } == [2])
        #expect(feed["credential_summary"] as? String == "none")

        let one = try document(syndic, ["status", "mirakl_fr"]).object
        check(one, Self.status, "status mirakl_fr")
        #expect(items(one["channels"]).map { $0["name"] as? String } == ["mirakl_fr"])
        let unknown = try syndic.run(["status", "nope", "--format", "json"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.isEmpty)
    }

    @Test func historyDocument() throws {
        let (workspace, syndic, _) = try Self.workspace()
        defer { workspace.remove() }

        let all = try document(syndic, ["history"]).object
        check(all, Self.history, "history")
        #expect(all["address"] == nil)
        let revisions = items(all["revisions"])
        #expect(revisions.map { $0["serial"] as? Int } == [2, 1])
        #expect(revisions.map { $0["operation"] as? String } == ["suspend", "apply"])
        #expect(revisions.first?["user"] as? String == "tester")
        for revision in revisions {
            check(revision, Self.revision, "history: serial \(revision["serial"] ?? "?")")
            for change in items(revision["changes"]) { check(change, Self.change, "history: changes[]") }
        }
        let suspend = items(revisions.first?["changes"])
        #expect(suspend.map { $0["address"] as? String } == ["channel.mirakl_fr"])
        #expect(suspend.first?["after"] as? String == "price error")

        let one = try document(syndic, ["history", "old_partner", "--limit", "1"]).object
        check(one, Self.history, "history old_partner")
        #expect(one["address"] as? String == "channel.old_partner")
        #expect(items(one["revisions"]).map { $0["serial"] as? Int } == [1])
    }

    @Test func tokenListShowsNoSecret() throws {
        let (workspace, syndic, token) = try Self.workspace()
        defer { workspace.remove() }

        let (list, text) = try document(syndic, ["token", "list"])
        check(list, Self.tokens, "token list")
        let tokens = items(list["tokens"])
        #expect(tokens.map { $0["name"] as? String } == ["erp", "old"])
        for item in tokens { check(item, Self.token, "token list: tokens[]") }
        #expect(tokens.first?["revoked_at"] == nil)
        #expect(tokens.last?["revoked_at"] != nil)
        #expect(tokens.first?["prefix"] as? String == String(token.prefix(12)))
        // Neither the token nor its SHA-256 (64 hex digits, as the state keeps it) is printed.
        #expect(token.count == 68)
        #expect(!text.contains(token))
        #expect(text.range(of: "[0-9a-f]{64}", options: .regularExpression) == nil)
        #expect(!text.contains("hash"))
    }
}
