import ArgumentParser
import Foundation
import SyndicCore
import SyndicEngine

/// `syndic plan`: shows what apply would change.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the changes that would make the state match the configuration.",
        discussion: "Exit 0 on success; with --detailed-exitcode: 0 no changes, 2 changes, 1 error.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Selection") var selection: SelectionOptions

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(name: .long, help: "Save the plan (JSON) to FILE for `syndic apply FILE`.")
    var out: String?

    @Option(name: .long, help: "Plan the configuration as it is at this git ref (the work tree is not touched).")
    var gitRef: String?

    @Option(name: .long, help: "With --format markdown: split into comments of at most N bytes.")
    var maxCommentBytes: Int?

    @Option(name: .long, help: "With --max-comment-bytes: write the comments as DIR/comment-1.md, comment-2.md, ...")
    var commentDir: String?

    func validate() throws {
        if maxCommentBytes != nil && format != .markdown { throw ValidationError("--max-comment-bytes needs --format markdown") }
        if let maxCommentBytes, maxCommentBytes < 1000 { throw ValidationError("--max-comment-bytes must be at least 1000") }
        if commentDir != nil && maxCommentBytes == nil { throw ValidationError("--comment-dir needs --max-comment-bytes") }
    }

    func run() throws {
        let store = try options.openStore()
        let planned: Reconciler.Planned
        do {
            planned = try options.reconciler(store: store, gitRef: gitRef).plan(selection: selection.selection)
        } catch let failure as ValidationFailed {
            for diagnostic in failure.diagnostics { Output.error(DiagnosticsView.render(diagnostic)) }
            throw Failure.exit("\(failure)")
        } catch {
            throw Failure.exit("\(error)")
        }
        let document = PlanDocument(planned, generatedAt: CommandClock.now())
        if let out {
            do {
                try document.encoded().write(to: URL(fileURLWithPath: out))
            } catch {
                throw Failure.exit("cannot write the plan to \(out): \(error.localizedDescription)")
            }
        }
        switch format {
        case .text:
            Output.print(PlanTextView(plan: planned.plan, serial: planned.serial, style: .terminal).render())
            if let out { Output.print("Saved the plan to \(out). Apply it with: syndic apply \(out)") }
        case .json:
            Output.print(String(decoding: try document.encoded(), as: UTF8.self))
        case .markdown:
            let view = PlanMarkdownView(plan: planned.plan, serial: planned.serial, gitCommit: planned.git?.display)
            guard let maxCommentBytes else {
                Output.print(view.render())
                break
            }
            let comments = view.renderComments(maxBytes: maxCommentBytes)
            if let commentDir {
                do {
                    try FileManager.default.createDirectory(atPath: commentDir, withIntermediateDirectories: true)
                    for (index, comment) in comments.enumerated() {
                        try Data(comment.utf8).write(to: URL(fileURLWithPath: "\(commentDir)/comment-\(index + 1).md"))
                    }
                } catch {
                    throw Failure.exit("cannot write comments to \(commentDir): \(error.localizedDescription)")
                }
            }
            Output.print(comments.joined(separator: "\n\n"))
        }
        if detailedExitcode && planned.plan.hasChanges { throw ExitCode(2) }
    }
}

/// Plan output formats.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
