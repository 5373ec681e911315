import Foundation
import Hummingbird
import SyndicCore

/// Requires `Authorization: Bearer <token>` of a token the state knows and has not
/// revoked. Missing, wrong and revoked tokens get the same 401.
///
/// The routes registered before it need no token and never pass here; only a request for
/// one of their paths with another method does, on its way to the 405, and it needs no
/// token either.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let store: any APIStore
    let usage: TokenUsage
    /// The routes that need no token.
    let open: [APIRoute]

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if open.contains(where: { $0.matches(path) }) { return try await next(request, context) }
        guard let presented = APIToken.bearer(request.headers[.authorization]) else { throw APIError.unauthorized }
        let hash = APIToken.hash(presented)
        let store = self.store
        guard let token = try await Blocking.run({ try store.accessToken(hash: hash) }) else { throw APIError.unauthorized }
        context.notes.tokenName = token.name
        usage.note(token, store: store)
        return try await next(request, context)
    }
}

/// Keeps `last_used_at` of tokens, writing at most once a minute per token.
final class TokenUsage: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [Int64: Date] = [:]

    func note(_ token: AccessToken, store: any APIStore) {
        let now = Date()
        lock.lock()
        let due = now.timeIntervalSince(written[token.id] ?? token.lastUsedAt ?? .distantPast) >= 60
        if due { written[token.id] = now }
        lock.unlock()
        guard due else { return }
        Task { _ = try? await Blocking.run { try store.markAccessTokenUsed(id: token.id, at: now) } }
    }
}
