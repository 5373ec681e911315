/// Turns one fuzzer input into what a target feeds the code under test.
enum FuzzInput {
    /// The input split at NUL bytes into at most `limit` parts (the last keeps any further
    /// NULs): several files, or a text and its options, from one input.
    static func parts(_ input: UnsafeRawBufferPointer, limit: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in input {
            if byte == 0, parts.count < limit - 1 {
                parts.append(current)
                current.removeAll()
            } else {
                current.append(byte)
            }
        }
        parts.append(current)
        return parts
    }

    /// The input as text, as the product reads files: invalid UTF-8 reads as U+FFFD.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// Stops the fuzzer with a message when a property of the code under test does not hold
/// (libFuzzer reports the trap as a crash and saves the input).
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
