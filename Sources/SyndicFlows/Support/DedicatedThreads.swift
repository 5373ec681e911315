import Foundation
import SyndicCore

/// Runs blocking work (file and network I/O, CPU-bound loops) on threads of its own, never on
/// Swift's cooperative pool: on Linux that pool is as wide as the machine has cores, and a
/// job blocking one of its threads would halve a two-core machine.
enum DedicatedThreads {
    /// Runs `work` on a new thread and returns its result; cancelling the calling task raises
    /// the flag `work` receives.
    static func run<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    continuation.resume(with: Result { try work(flag) })
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// Starts `count` threads running `body(index)`.
    static func start(_ count: Int, name: String, _ body: @escaping @Sendable (Int) -> Void) {
        for index in 0..<count {
            let thread = Thread { body(index) }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
