import Foundation
import Hummingbird
import SyndicCore

extension ConsoleRoutes {
    /// `GET /channels`.
    @Sendable func channels(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let store = console.store
        let inputs = try await Blocking.run { try store.channelStates(named: nil).map { try Self.channelInput($0, store: store) } }
        return render("channels", ChannelsPage.build(inputs, now: console.now(), csrf: visit.csrf))
    }

    /// `GET /channels/{name}`.
    @Sendable func channel(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let name = try parameter(context, "name")
        let store = console.store
        let query = visit.query
        let loaded = try await Blocking.run { () throws -> ChannelPage.Input? in
            guard try store.resource(.channel, named: name) != nil, let state = try store.channelStates(named: name).first else {
                return nil
            }
            return ChannelPage.Input(channel: try Self.channelInput(state, store: store),
                                     history: try store.history(address: Address.of(.channel, name), limit: nil),
                                     recentRuns: try store.runs(RunFilter(channel: name, limit: 20)), query: query)
        }
        guard let input = loaded else { throw Self.unknownChannel(name) }
        return render("channel", ChannelPage.build(input, now: console.now(), csrf: visit.csrf))
    }

    /// `POST /channels/{name}/suspend` (field `reason`): suspends the channel outside git.
    @Sendable func suspend(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit,
                           _ form: ConsoleQuery) async throws -> Response {
        let name = try parameter(context, "name")
        guard let reason = form.value("reason") else {
            throw ConsoleError.badRequest("A suspension needs a reason: say why the channel stops.", back: Self.back(name))
        }
        guard reason.count <= 500 else {
            throw ConsoleError.badRequest("The reason is longer than 500 characters.", back: Self.back(name))
        }
        let store = console.store
        let now = console.now()
        _ = try await channelAction(name) { try store.suspend(channel: name, reason: reason, by: "console", at: now) }
        return ConsoleResponse.redirect(Self.back(name).href + "?done=suspended")
    }

    /// `POST /channels/{name}/resume`: lifts the suspension.
    @Sendable func resume(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit,
                          _ form: ConsoleQuery) async throws -> Response {
        let name = try parameter(context, "name")
        let store = console.store
        let now = console.now()
        _ = try await channelAction(name) { try store.resume(channel: name, by: "console", at: now) }
        return ConsoleResponse.redirect(Self.back(name).href + "?done=resumed")
    }

    /// `POST /channels/{name}/run` (fields `job`, `dry_run`): queues a run of a job now.
    @Sendable func runNow(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit,
                          _ form: ConsoleQuery) async throws -> Response {
        let name = try parameter(context, "name")
        guard let text = form.value("job"), let job = JobKind(rawValue: text) else {
            throw ConsoleError.badRequest("Choose the job to run: one of \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                                          back: Self.back(name))
        }
        let dryRun = form.value("dry_run") != nil
        if dryRun, job != .productExport {
            throw ConsoleError.badRequest("A dry run applies to product exports only.", back: Self.back(name))
        }
        let store = console.store
        let now = console.now()
        let run = try await channelAction(name) {
            try ManualRunPolicy.enqueue(store: store, channel: name, job: job, dryRun: dryRun, full: false, now: now)
        }
        return ConsoleResponse.redirect(Self.back(name).href + "?done=queued&run=\(run.id)")
    }

    // MARK: - Helpers

    /// A channel's state with the recent runs of each of its jobs.
    static func channelInput(_ state: ChannelState, store: any StateStore) throws -> ChannelFacts.Input {
        let spec = (try? CanonicalJSON.parse(state.resource.specJSON)) ?? .object([:])
        var runsByJob: [JobKind: [RunInfo]] = [:]
        // Per job, so that frequent jobs do not hide the last run of rare ones.
        for job in ChannelJobs.available(in: spec) {
            runsByJob[job] = try store.runs(RunFilter(channel: state.resource.name, job: job, limit: 20))
        }
        return ChannelFacts.Input(state: state, runsByJob: runsByJob)
    }

    /// Runs a store action on a channel; what the store refuses becomes the page that says why.
    func channelAction<Output: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> Output) async throws -> Output {
        do {
            return try await Blocking.run(body)
        } catch StoreError.unknownChannel(_) {
            throw Self.unknownChannel(name)
        } catch let error as StoreError {
            guard case .notSuspended = error else { throw error }
            throw ConsoleError(.conflict, title: "Not suspended", message: "Channel \(name) is not suspended.", links: [Self.back(name)])
        } catch let error as QueueError {
            throw ConsoleError(.conflict, title: "Not queued", message: error.description, links: [Self.back(name)])
        } catch let error as ManualRunPolicy.Refused {
            throw ConsoleError(.conflict, title: "Not queued", message: error.description, links: [Self.back(name)])
        }
    }

    /// The link back to a channel's page.
    static func back(_ name: String) -> PageLink {
        PageLink(text: "Back to channel \(name)", href: "/channels/" + PageFormat.segment(name))
    }

    static func unknownChannel(_ name: String) -> ConsoleError {
        .notFound("No channel \"\(name)\" is applied.", back: PageLink(text: "All channels", href: "/channels"))
    }
}
