import Foundation
import Hummingbird
import SyndicCore

extension ConsoleRoutes {
    /// `GET /login?code=…&next=…`: uses a login code once, opens a session (its cookie set)
    /// and goes to the page the link leads to; a used, expired or unknown code is refused
    /// (401). Without a code: how to get a link.
    @Sendable func login(_ request: Request, context: APIRequestContext) async throws -> Response {
        let query = ConsoleQuery(parsing: request.uri.query)
        do {
            let current = try await visit(request)
            guard let code = query.value("code") else {
                let next = ConsoleAuth.localPath(query.value("next"))
                return render("login", LoginPage.build(next: next, csrf: current?.csrf))
            }
            guard ConsoleAuth.isToken(code[...]) else { throw ConsoleError.loginRefused }
            let store = console.store
            let now = console.now()
            let codeHash = ConsoleAuth.hash(code)
            guard let next = try await Blocking.run({ try store.redeemLoginCode(hash: codeHash, now: now) }) else {
                throw ConsoleError.loginRefused
            }
            let token = ConsoleAuth.newToken()
            let tokenHash = ConsoleAuth.hash(token)
            let previous = current.map { ConsoleAuth.hash($0.token) }
            try await Blocking.run {
                // The browser's earlier session, if any, ends: one cookie, one session.
                if let previous { try store.endConsoleSession(hash: previous, at: now) }
                try store.createConsoleSession(hash: tokenHash, expiresAt: now.addingTimeInterval(ConsoleAuth.sessionLifetime),
                                               at: now)
            }
            let target = ConsoleAuth.localPath(next)
            return ConsoleResponse.redirect(target == "/" ? "/channels" : target,
                                            cookies: [ConsoleAuth.sessionCookie(token: token, secure: secure(request))])
        } catch {
            return failure(error, context, csrf: nil)
        }
    }

    /// `POST /logout`: ends the session, removes its cookie, and goes to the login page.
    @Sendable func logout(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit,
                          _ form: ConsoleQuery) async throws -> Response {
        let store = console.store
        let hash = ConsoleAuth.hash(visit.token)
        let now = console.now()
        try await Blocking.run { try store.endConsoleSession(hash: hash, at: now) }
        return ConsoleResponse.redirect("/login", cookies: [ConsoleAuth.clearedCookie(secure: secure(request))])
    }
}
