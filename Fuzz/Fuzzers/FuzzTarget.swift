import Foundation

/// The parsers of untrusted input that can be fuzzed, by the names `scripts/fuzz` uses. One
/// executable holds them all (one build and one link instead of five); the environment
/// variable `SYNDIC_FUZZ_TARGET` says which one a libFuzzer run feeds.
enum FuzzTarget: String, CaseIterable {
    case yaml
    case mapping
    case shipmentCSV = "shipment-csv"
    case productJSON = "product-json"
    case shipmentBody = "shipment-body"

    /// Runs the target on one input.
    func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .yaml: YAMLFuzzer.run(input)
        case .mapping: MappingFuzzer.run(input)
        case .shipmentCSV: ShipmentCSVFuzzer.run(input)
        case .productJSON: ProductJSONFuzzer.run(input)
        case .shipmentBody: ShipmentBodyFuzzer.run(input)
        }
    }

    /// The names, for usage messages.
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The target `SYNDIC_FUZZ_TARGET` names, read once; a missing or unknown name stops the
    /// process before the first input.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SYNDIC_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("SYNDIC_FUZZ_TARGET must name a fuzz target (\(names)), not \"\(name)\"\n".utf8))
            exit(2)
        }
        return target
    }()
}

/// libFuzzer's entry point: one input per call, fed to the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if !FUZZING
/// Built without libFuzzer (no `-D FUZZING`): `fuzz TARGET FILE|FOLDER...` replays the files
/// and folders given through one target.
@main
enum FuzzEntry {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: fuzz TARGET FILE|FOLDER... (TARGET: \(FuzzTarget.names))\n".utf8))
            exit(2)
        }
        FuzzReplay.main(paths: Array(arguments.dropFirst()), target.run)
    }
}
#endif
