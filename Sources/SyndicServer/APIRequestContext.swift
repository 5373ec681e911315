import Foundation
import Hummingbird

/// The request context of the Orders API: Hummingbird's core storage and the notes the
/// middlewares share about a request.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Filled by the token check and the handlers, read by the access log.
    let notes = RequestNotes()

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}

/// What is learned of a request while it is handled. One request's handling is sequential,
/// so the notes need no lock.
final class RequestNotes: @unchecked Sendable {
    /// Names the request in its answer (`X-Request-Id`, and the body of a 500 or of an
    /// unavailable `/healthz`) and in its log line, which alone carries the details.
    let requestID = RequestNotes.newID()
    /// The name of the access token that authenticated the request.
    var tokenName: String?
    /// What failed on the server's side (an error of the state), for the log only: answers
    /// never carry it.
    var failure: String?

    /// 16 random hex digits.
    static func newID() -> String {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
