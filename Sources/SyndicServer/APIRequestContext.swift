import Foundation
import Hummingbird

/// The request context of the Orders API: Hummingbird's core storage and the notes the
/// middlewares share about a request.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Filled by the token check, read by the access log.
    let notes = RequestNotes()

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}

/// What is learned of a request while it is handled. One request's handling is sequential,
/// so the notes need no lock.
final class RequestNotes: @unchecked Sendable {
    /// The name of the access token that authenticated the request.
    var tokenName: String?
}
