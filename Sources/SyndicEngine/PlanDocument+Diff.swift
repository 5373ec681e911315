import Foundation
import SyndicCore

extension PlanDocument {
    /// The two git refs a diff compares, as given and as the commits they named.
    public struct DiffRefs: Codable, Sendable, Equatable {
        public var base: String
        public var head: String
        public var baseCommit: String
        public var headCommit: String

        enum CodingKeys: String, CodingKey {
            case base, head
            case baseCommit = "base_commit"
            case headCommit = "head_commit"
        }

        public init(base: String, head: String, baseCommit: String, headCommit: String) {
            self.base = base
            self.head = head
            self.baseCommit = baseCommit
            self.headCommit = headCommit
        }

        /// Resolves `base` and `head` to their commits in the git work tree of `directory`.
        public static func resolve(base: String, head: String, directory: String) throws -> DiffRefs {
            DiffRefs(base: base, head: head,
                     baseCommit: try GitInfo.of(ref: base, directory: directory).commit,
                     headCommit: try GitInfo.of(ref: head, directory: directory).commit)
        }
    }

    /// The document of a diff between two git refs (`syndic diff --format json`): the same
    /// changes, summary, diagnostics and notes as a plan, with the refs in place of the state's
    /// serial and digests. `syndic apply FILE` refuses it.
    public init(diff plan: Plan, refs: DiffRefs, generatedAt: Date) {
        self.init(plan: plan, generatedAt: generatedAt)
        diff = refs
    }
}
