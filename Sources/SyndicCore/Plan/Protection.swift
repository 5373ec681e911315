import Foundation

/// The protection label: a resource applied with `syndic/protect: "true"` is never deleted,
/// whatever is confirmed (`apply --confirm-delete`, `reconcile --prune`). Deleting it takes
/// two steps, each reviewed: apply a change that removes the label, then the delete.
public enum Protection {
    /// The label's key.
    public static let label = "syndic/protect"

    /// Whether labels (as applied, canonical JSON) protect their resource.
    public static func isProtected(labelsJSON: String) -> Bool {
        guard let labels = try? CanonicalJSON.parse(labelsJSON) else { return false }
        return labels[label]?.stringValue == "true"
    }
}
