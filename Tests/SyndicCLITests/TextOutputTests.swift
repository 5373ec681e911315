import Foundation
import Testing

/// The text form of `runs`, `runs show`, `status`, `history` and `token list` through the
/// shipped binary, compared whole with files under Golden/ (`text-*.txt`), on the scenario
/// the JSON tests use (``JSONOutputTests/workspace()``). Each file is a transcript: for each
/// command, a `$ syndic ARGUMENTS` line and what the command printed. What changes from one
/// run of the test to the next is hidden first (``normalised(_:workspace:clock:)``);
/// `SYNDIC_UPDATE_GOLDEN=1` rewrites the files.
@Suite struct TextOutputTests {
    /// Each golden file with the commands its transcript holds, in order.
    static let goldens: [(file: String, commands: [[String]])] = [
        ("text-runs.txt", [["runs"]]),
        // A dry run (report, kept file), the real export (export record), a queued run.
        ("text-runs-show.txt", [["runs", "show", "1"], ["runs", "show", "2"], ["runs", "show", "3"]]),
        ("text-status.txt", [["status"]]),
        // Suspended with credentials and schedules; with a pending run; with a last run.
        ("text-status-channel.txt", [["status", "mirakl_fr"], ["status", "old_partner"], ["status", "feed"]]),
        ("text-history.txt", [["history", "mirakl_fr"]]),
        ("text-token-list.txt", [["token", "list"]]),
    ]

    /// The transcript of `commands`: `$ syndic ARGUMENTS` then the command's output, a blank
    /// line between two commands. Each command must succeed.
    func transcript(_ syndic: SyndicProcess, _ commands: [[String]],
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var blocks: [String] = []
        for arguments in commands {
            let result = try syndic.run(arguments)
            try #require(result.status == 0, "\(arguments) failed: \(result.stderr)", sourceLocation: sourceLocation)
            blocks.append("$ syndic \(arguments.joined(separator: " "))\n\(result.stdout)")
        }
        return blocks.joined(separator: "\n")
    }

    /// `text` with what differs from one run of the test to the next hidden. Times and tokens
    /// are masked by as many characters as they had, so that tables stay aligned:
    /// - the workspace's path (as given and as resolved) reads `$WORKSPACE`;
    /// - ISO 8601 UTC times within `clock` (give or take two seconds) read
    ///   `####-##-##T##:##:##Z`: those come from the wall clock while the test ran (a run's
    ///   start and finish, its log lines, its export record), since `SYNDIC_NOW` pins only the
    ///   commands' own clock. Pinned times, and the schedule times computed from them, stay;
    /// - the time in an export file's name reads `####-##-##T##-##-##.####`;
    /// - durations (`in 0.3 s` of a report, `duration: 0.3 s` of a run) read `#.# s`;
    /// - the random part of a token's prefix reads `syn_########`.
    static func normalised(_ text: String, workspace: URL, clock: ClosedRange<Date>) -> String {
        var out = text
        let resolved = workspace.resolvingSymlinksInPath().path
        // The longer first: one path may hold the other ("/private/tmp/x" and "/tmp/x").
        for path in [resolved, workspace.path].sorted(by: { $0.count > $1.count }) where !path.isEmpty {
            out = out.replacingOccurrences(of: path, with: "$WORKSPACE")
        }
        out = out.replacingOccurrences(of: #"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{4}"#,
                                       with: "####-##-##T##-##-##.####", options: .regularExpression)
        out = out.replacingOccurrences(of: #"(in|duration:) [0-9]+\.[0-9] s"#, with: "$1 #.# s",
                                       options: .regularExpression)
        out = out.replacingOccurrences(of: #"syn_[0-9a-f]{8}"#, with: "syn_########", options: .regularExpression)
        // The worker that ran a run is named after this host and the process.
        out = out.replacingOccurrences(of: #"started by [^ \n]+:[0-9]+:run"#, with: "started by HOST:PID:run",
                                       options: .regularExpression)

        let parser = ISO8601DateFormatter()
        let earliest = clock.lowerBound.addingTimeInterval(-2), latest = clock.upperBound.addingTimeInterval(2)
        let stamp = try! Regex(#"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"#)
        out = out.replacing(stamp) { match -> String in
            let text = match.output[0].substring.map(String.init) ?? ""
            guard let date = parser.date(from: text), date >= earliest, date <= latest else { return text }
            return "####-##-##T##:##:##Z"
        }
        return out
    }

    @Test func textFormsMatchTheirGoldenFiles() throws {
        let started = Date()
        let (workspace, syndic, _) = try JSONOutputTests.workspace()
        defer { workspace.remove() }

        for golden in Self.goldens {
            let text = try transcript(syndic, golden.commands)
            try Golden.check(Self.normalised(text, workspace: workspace.root, clock: started...Date()), golden.file)
        }
    }

    @Test func normalisingHidesOnlyWhatChangesBetweenRuns() throws {
        let root = URL(fileURLWithPath: "/scratch/syndic-cli-1234")
        let wall = try #require(ISO8601DateFormatter().date(from: "2026-12-06T21:30:21Z"))
        let text = """
            RUN  QUEUED                FINISHED
            2    2026-03-28T12:00:00Z  2026-12-06T21:30:22Z
              file kept at /scratch/syndic-cli-1234/.syndic/work/products_export_feed_2026-12-06T21-30-21.5132.csv
            full export from catalog file catalog.jsonl: 3 read, 3 sent in 12.3 s
              duration: 0.4 s
            1  erp  syn_0a1b2c3d…  2026-12-06T21:30:50Z  2026-12-06T21:30:19Z
            """
        let normalised = Self.normalised(text, workspace: root, clock: wall...wall.addingTimeInterval(5))
        #expect(normalised == """
            RUN  QUEUED                FINISHED
            2    2026-03-28T12:00:00Z  ####-##-##T##:##:##Z
              file kept at $WORKSPACE/.syndic/work/products_export_feed_####-##-##T##-##-##.####.csv
            full export from catalog file catalog.jsonl: 3 read, 3 sent in #.# s
              duration: #.# s
            1  erp  syn_########…  2026-12-06T21:30:50Z  ####-##-##T##:##:##Z
            """)
    }
}
