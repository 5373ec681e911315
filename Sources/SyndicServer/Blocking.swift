import Dispatch

/// Runs the state store's blocking calls on their own threads, off the server's event
/// loops and the cooperative pool.
enum Blocking {
    private static let queue = DispatchQueue(label: "syndic.api.store", qos: .userInitiated, attributes: .concurrent)

    static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try body() }) }
        }
    }
}
