import Foundation
import SyndicCore

/// The configuration loader as `syndic plan` runs it, without I/O: an input is up to four
/// files separated by NUL bytes; each is compiled (YAML, schema, per-resource rules), the
/// files are validated together, and the result is planned against an empty state, against
/// itself, against a state with bare specs and to deletion. Channels that validate are
/// compiled to their product export program as a run would.
///
/// Properties checked: a compiled spec's canonical JSON reads back to itself; a resource and
/// the diagnostics rebuilt from the parse cache match the compiled ones; a configuration
/// planned against itself changes nothing.
enum YAMLFuzzer {
    static let planner = Planner(now: Date(timeIntervalSince1970: 1_795_000_000))

    static func run(_ input: UnsafeRawBufferPointer) {
        let files = FuzzInput.parts(input, limit: 4).enumerated().map { index, bytes in
            ConfigFile(relativePath: "file\(index).yaml", displayPath: "channels/file\(index).yaml", text: FuzzInput.text(bytes))
        }
        let compiled = files.map(DocumentCompiler.compile)
        for file in compiled { checkCache(file) }
        let validated = ConfigValidator.validate(compiled) { secret, _ in
            secret.path.hasSuffix("missing") ? "the environment variable is not set" : nil
        }
        let desired = DesiredState(resources: validated.resources, fingerprints: [:])
        _ = planner.plan(desired: desired, actual: .empty, diagnostics: validated.diagnostics)

        var same = ActualState(), bare = ActualState()
        for resource in validated.resources {
            let applied = AppliedResource(kind: resource.kind, name: resource.name, type: resource.type,
                                          specJSON: resource.specJSON, labelsJSON: resource.labelsJSON,
                                          sourceFile: resource.file)
            same.resources[resource.address] = applied
            var emptied = applied
            emptied.specJSON = CanonicalJSON.string(.object(["type": .string(resource.type)]))
            emptied.labelsJSON = "{}"
            bare.resources[resource.address] = emptied
        }
        let unchanged = planner.plan(desired: desired, actual: same)
        require(unchanged.changes.isEmpty, "a configuration planned against itself changes \(unchanged.changes.map(\.address))")
        _ = planner.plan(desired: desired, actual: bare)
        _ = planner.plan(desired: DesiredState(resources: [], fingerprints: [:]), actual: same)

        guard !validated.hasErrors else { return }
        for resource in validated.resources where resource.kind == .channel {
            guard let channel = try? resource.channelSpec(), let spec = try? resource.specValue() else { continue }
            _ = try? ProductExportProgram(channel: channel, spec: spec)
        }
    }

    /// What the parse cache keeps of a compiled file must read back as it was written.
    static func checkCache(_ file: CompiledFile) {
        let diagnostics = Diagnostic.fromCacheJSON(Diagnostic.cacheJSON(file.diagnostics), file: "cached.yaml")
        require(diagnostics.count == file.diagnostics.count, "cached diagnostics do not read back")
        for resource in file.resources {
            let reparsed = try? CanonicalJSON.parse(resource.specJSON)
            require(reparsed.map(CanonicalJSON.string) == resource.specJSON,
                    "the canonical spec does not read back: \(resource.specJSON)")
            let cached = CompiledResource.fromCache(kind: resource.kind, name: resource.name, type: resource.type,
                                                    labelsJSON: resource.labelsJSON, specJSON: resource.specJSON,
                                                    facts: resource.cacheFacts, file: resource.file)
            require(cached?.secrets == resource.secrets && cached?.references == resource.references
                        && cached?.labels == resource.labels && cached?.location == resource.location
                        && cached?.nameLocation == resource.nameLocation,
                    "the cached \(resource.address) differs from the compiled one")
        }
    }
}
