import Foundation
import Testing
@testable import SyndicCore

/// Time-zone changes are schedule changes only when the fire instants move.
struct PlannerZoneTests {
    @Test(arguments: [
        ("UTC", "Etc/UTC", #"{at: "02:30"}"#, false),
        ("Europe/Paris", "Europe/London", #"{every: 15m}"#, false),
        ("Europe/Paris", "Europe/London", #"{at: "02:30"}"#, true),
        ("Europe/Paris", "Europe/Berlin", #"{at: "02:30"}"#, false),
    ])
    func zoneChange(from old: String, to new: String, schedule: String, moves: Bool) {
        let before = PlannerTests.resources(PlannerTests.mirakl(timezone: old, schedule: schedule))
        let after = PlannerTests.resources(PlannerTests.mirakl(timezone: new, schedule: schedule))
        let plan = PlannerTests.planner.plan(desired: PlannerTests.desired(after), actual: PlannerTests.actual(before))
        let actions = plan.changes.filter { $0.address == "channel.mirakl_fr" }.map(\.action)
        #expect(actions.contains(.schedule) == moves, "\(old) -> \(new) \(schedule): \(actions)")
        // The zone itself is always shown as a field update.
        let update = plan.changes.first { $0.action == .update }
        #expect(update?.fields.contains { $0.path == "timezone" && $0.before == old && $0.after == new } == true)
    }
}
