import Foundation

/// Work started on another thread now and waited for later: the order retrieval fetches
/// and reads the next page while the current one is being stored.
final class Prefetch<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    /// The work's result (or its error), once it finished.
    func value() throws -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
