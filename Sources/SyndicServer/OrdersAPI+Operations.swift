import Foundation
import Hummingbird
import Prometheus
import SyndicCore

extension OrdersAPI {
    /// `GET /healthz`: 200 when the state answers, else 503 with the request's id (the error
    /// itself goes to the log only).
    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> Response {
        let store = self.store
        var json = JSONWriter(capacity: 64)
        json.beginObject()
        do {
            try await Blocking.run { try store.ping() }
            json.key("status"); json.string("ok")
            json.endObject()
            return APIResponse.json(json)
        } catch {
            context.notes.failure = String(describing: error)
            json.key("status"); json.string("unavailable")
            json.key("request_id"); json.string(context.notes.requestID)
            json.endObject()
            return APIResponse.json(json, status: .serviceUnavailable)
        }
    }

    /// `GET /metrics`: the registry in Prometheus text (format 0.0.4), its gauges first set
    /// from the state.
    @Sendable func prometheus(_ request: Request, context: APIRequestContext) async throws -> Response {
        let store = self.store
        let counts = try await Blocking.run { try store.operationalCounts() }
        gauges.update(counts)
        var text: [UInt8] = []
        registry.emit(into: &text)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }

    /// `GET /openapi.yaml`: the document kept in the repository (Sources/SyndicServer/openapi.yaml).
    @Sendable func openAPIDocument(_ request: Request, context: APIRequestContext) async throws -> Response {
        APIResponse.text(Self.openAPIText, contentType: "application/yaml")
    }

    /// The OpenAPI document, read once from the module's resources.
    static let openAPIText: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return "# the OpenAPI document is missing from this build\n"
        }
        return text
    }()
}
