import Foundation
import HTTPTypes
import Hummingbird
import SyndicCore

/// The console's routes under `/`: a session check before every page, a CSRF check before
/// every action, and every answer an HTML page (errors included).
///
/// Without a valid session a page answers 303 to `/login?next=<path and query>` and shows no
/// data; an action (POST) answers 303 to `/login`. An action whose `csrf` field is not the
/// session's token is refused (403).
struct ConsoleRoutes: Sendable {
    typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response
    typealias PageHandler = @Sendable (Request, APIRequestContext, ConsoleVisit) async throws -> Response
    typealias ActionHandler = @Sendable (Request, APIRequestContext, ConsoleVisit, ConsoleQuery) async throws -> Response

    let console: Console
    let views: ConsoleViews
    /// The largest form body read.
    let maxBodyBytes: Int

    /// Registers every route of the console.
    func register(on routes: inout APIRouteTable) {
        routes.on(.get, "/console.css", stylesheet)
        routes.on(.get, "/console.js", script)
        routes.on(.get, "/login", login)
        routes.on(.post, "/logout", action(logout))
        routes.on(.get, "/", page { _, _, _ in ConsoleResponse.redirect("/channels") })
        routes.on(.get, "/channels", page(channels))
        routes.on(.get, "/channels/{name}", page(channel))
        routes.on(.post, "/channels/{name}/suspend", action(suspend))
        routes.on(.post, "/channels/{name}/resume", action(resume))
        routes.on(.post, "/channels/{name}/run", action(runNow))
        routes.on(.get, "/runs", page(runs))
        routes.on(.get, "/runs/{id}", page(run))
        routes.on(.get, "/runs/{id}/files/{name}", page(runFile))
        routes.on(.get, "/orders", page(orders))
        routes.on(.get, "/orders/{id}", page(order))
    }

    // MARK: - Sessions and forms

    /// A page that needs a session.
    func page(_ body: @escaping PageHandler) -> Handler {
        { request, context in
            let found: ConsoleVisit?
            do {
                found = try await self.visit(request)
            } catch {
                return failure(error, context, csrf: nil)
            }
            guard let visit = found else {
                let next = ConsoleAuth.localPath(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
                return ConsoleResponse.redirect("/login?next=" + ConsoleQuery.encoded(next))
            }
            do {
                return try await body(request, context, visit)
            } catch {
                return failure(error, context, csrf: visit.csrf)
            }
        }
    }

    /// A form post that needs a session and its CSRF token; the body gets the form's fields.
    func action(_ body: @escaping ActionHandler) -> Handler {
        { request, context in
            let found: ConsoleVisit?
            do {
                found = try await self.visit(request)
            } catch {
                return failure(error, context, csrf: nil)
            }
            guard let visit = found else { return ConsoleResponse.redirect("/login") }
            do {
                let form = try await self.form(request)
                guard let csrf = form.value("csrf"), ConsoleAuth.sameText(csrf, visit.csrf) else { throw ConsoleError.forbidden }
                return try await body(request, context, visit, form)
            } catch {
                return failure(error, context, csrf: visit.csrf)
            }
        }
    }

    /// The request's session, when its cookie names one that is open.
    func visit(_ request: Request) async throws -> ConsoleVisit? {
        guard let token = ConsoleAuth.sessionToken(cookies: request.headers[values: .cookie]) else { return nil }
        let hash = ConsoleAuth.hash(token)
        let now = console.now()
        let store = console.store
        guard try await Blocking.run({ try store.consoleSession(hash: hash, now: now) }) != nil else { return nil }
        return ConsoleVisit(token: token, csrf: ConsoleAuth.csrfToken(session: token),
                            query: ConsoleQuery(parsing: request.uri.query))
    }

    /// The fields of a form post (`application/x-www-form-urlencoded`).
    func form(_ request: Request) async throws -> ConsoleQuery {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw ConsoleError(.unsupportedMediaType, title: "Not understood",
                               message: "The console's forms are sent as application/x-www-form-urlencoded.")
        }
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        return ConsoleQuery(parsing: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// Whether the browser reached the console over https: the session cookie is then `Secure`.
    func secure(_ request: Request) -> Bool {
        console.publicURLIsHTTPS
            || request.headers[values: HTTPField.Name("X-Forwarded-Proto")!].contains { $0.lowercased().hasPrefix("https") }
    }

    // MARK: - Rendering

    func render(_ template: String, _ page: Any, status: HTTPResponse.Status = .ok) -> Response {
        ConsoleResponse.html(views.render(template, page), status: status)
    }

    /// The error page of `error`: its own status for a console error, 413 for a form too
    /// large, else a 500 whose details go to the request's log line only.
    func failure(_ error: any Error, _ context: APIRequestContext, csrf: String?) -> Response {
        let shown: ConsoleError
        if let error = error as? ConsoleError {
            shown = error
        } else if let error = error as? any HTTPResponseError, error.status == .contentTooLarge {
            shown = ConsoleError(.contentTooLarge, title: "Too large", message: "The form is larger than \(maxBodyBytes) bytes.")
        } else {
            context.notes.failure = String(describing: error)
            shown = ConsoleError(.internalServerError, title: "Server error",
                                 message: "The server could not answer this request; its log has the details "
                                     + "under the request id \(context.notes.requestID).")
        }
        return render("error", ErrorPage.build(shown, requestID: context.notes.requestID, csrf: csrf), status: shown.status)
    }

    /// A path parameter, percent-decoded.
    func parameter(_ context: APIRequestContext, _ name: String) throws -> String {
        guard let value = try context.parameters.require(name).removingPercentEncoding, !value.isEmpty else {
            throw ConsoleError.badRequest("The address is not valid: its \(name) is not a valid percent-encoded segment.")
        }
        return value
    }

    // MARK: - Assets

    @Sendable func stylesheet(_ request: Request, context: APIRequestContext) async throws -> Response {
        ConsoleResponse.asset(views.stylesheet, contentType: "text/css; charset=utf-8")
    }

    @Sendable func script(_ request: Request, context: APIRequestContext) async throws -> Response {
        ConsoleResponse.asset(views.script, contentType: "text/javascript; charset=utf-8")
    }
}

/// A request of an open session: its token, the CSRF token of its forms, and the URL's query.
struct ConsoleVisit: Sendable {
    let token: String
    let csrf: String
    let query: ConsoleQuery
}
