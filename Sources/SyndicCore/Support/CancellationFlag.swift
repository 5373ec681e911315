import Foundation

/// A stop request that blocking work checks between units of work.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public func cancel() { lock.withLock { raised = true } }

    public var isCancelled: Bool { lock.withLock { raised } }

    /// Throws `CancellationError` once the flag is raised.
    public func check() throws {
        if isCancelled { throw CancellationError() }
    }
}
