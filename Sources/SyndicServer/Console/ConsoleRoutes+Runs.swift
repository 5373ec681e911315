import Foundation
import Hummingbird
import SyndicCore

extension ConsoleRoutes {
    /// `GET /runs?channel=&job=&status=&page=`.
    @Sendable func runs(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let query = try RunsPage.Query(visit.query)
        let filter = query.filter
        let store = console.store
        let (runs, channels) = try await Blocking.run { try (store.runs(filter), store.resources(.channel).map(\.name)) }
        return render("runs", RunsPage.build(query, runs: runs, channels: channels, csrf: visit.csrf))
    }

    /// `GET /runs/{id}`.
    @Sendable func run(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let id = try runID(context)
        let store = console.store
        let loaded = try await Blocking.run { () throws -> RunPage.Input? in
            guard let (run, lines) = try store.run(id: id) else { return nil }
            return RunPage.Input(run: run, lines: lines, exports: try store.productExports(runID: id),
                                 files: try store.artifacts(runID: id))
        }
        guard let input = loaded else { throw Self.unknownRun(String(id)) }
        return render("run", RunPage.build(input, csrf: visit.csrf))
    }

    /// `GET /runs/{id}/files/{name}`: a file the run kept, as a download.
    @Sendable func runFile(_ request: Request, _ context: APIRequestContext, _ visit: ConsoleVisit) async throws -> Response {
        let id = try runID(context)
        let name = try parameter(context, "name")
        let store = console.store
        guard let data = try await Blocking.run({ try store.artifact(runID: id, name: name) }) else {
            throw ConsoleError.notFound("Run \(id) kept no file \"\(name)\".", back: PageLink(text: "Run \(id)", href: "/runs/\(id)"))
        }
        return ConsoleResponse.download(data, name: name)
    }

    /// The run id of the path; one that is not a number names no run.
    func runID(_ context: APIRequestContext) throws -> Int64 {
        let text = try parameter(context, "id")
        guard let id = Int64(text), id > 0 else { throw Self.unknownRun(text) }
        return id
    }

    static func unknownRun(_ id: String) -> ConsoleError {
        .notFound("No run \(id) is kept (runs are kept for each channel's logs.retainDays).",
                  back: PageLink(text: "All runs", href: "/runs"))
    }
}
