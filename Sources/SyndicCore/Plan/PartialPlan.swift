/// What a partial plan covers and what it left out: plans made with `--target`, `--exclude`
/// or `--selector` say so, so that nobody mistakes them for the whole picture.
public struct PartialPlan: Hashable, Sendable, Codable {
    /// The selection as given.
    public var selection: PlanSelection
    /// Resources with changes the selection did not pick but that came along because a picked
    /// change needs them (a connection a targeted channel references and that changed).
    public var dependencies: [String]
    /// Resources with changes the plan leaves out: a later plan still shows them.
    public var leftOut: [String]

    enum CodingKeys: String, CodingKey {
        case selection, dependencies
        case leftOut = "left_out"
    }

    public init(selection: PlanSelection, dependencies: [String], leftOut: [String]) {
        self.selection = selection
        self.dependencies = dependencies
        self.leftOut = leftOut
    }
}
