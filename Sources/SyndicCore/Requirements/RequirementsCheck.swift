/// Checks a Mirakl channel's mapping against the marketplace's attributes as the last
/// requirements sync stored them: a mapping target that is neither one of its
/// attributes nor an offer column (`MiraklOfferColumns`) is an error; a required attribute
/// left unmapped is a warning. Both are located in the channel's YAML.
public enum RequirementsCheck {
    /// The problems of `channel` (a compiled Channel resource) against `requirements`.
    public static func diagnostics(of channel: CompiledResource, against requirements: RequirementSet) -> [Diagnostic] {
        guard channel.kind == .channel, ChannelType(rawValue: channel.type)?.syncsRequirements == true,
              let mapping = (try? channel.specValue())?.value(at: "products.mapping")?.objectValue else { return [] }
        let attributes = Set(requirements.attributes.map(\.code))
        let known = attributes.union(MiraklOfferColumns.all)
        let fetched = Timestamp.iso(requirements.fetchedAt, zone: "UTC")
        var diagnostics: [Diagnostic] = []
        for target in mapping.keys.sorted() where !known.contains(target) {
            diagnostics.append(Diagnostic(.error, "mapping target \"\(target)\" is not an attribute of the marketplace (requirements synced \(fetched))",
                                          at: channel.location(of: "products.mapping.\(target)"),
                                          hint: Suggestion.didYouMean(target, among: known.sorted())))
        }
        for attribute in requirements.attributes where attribute.required && mapping[attribute.code] == nil {
            diagnostics.append(Diagnostic(.warning, "the marketplace requires \"\(attribute.code)\"\(attribute.label.map { " (\($0))" } ?? ""), which the mapping leaves unmapped",
                                          at: channel.location(of: "products.mapping")))
        }
        return diagnostics
    }
}
