import FuzzSupport

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    MappingFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if !FUZZING
/// Built without libFuzzer (no `-D FUZZING`): replays the files and folders given.
@main
enum FuzzEntry {
    static func main() { FuzzReplay.main(MappingFuzzer.run) }
}
#endif
