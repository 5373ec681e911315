import Foundation
import Hummingbird
import SyndicCore

extension OrdersAPI {
    /// `POST /api/v1/shipments`: shipments of one or many orders, each item validated and
    /// answered; accepted ones join the confirmation queue as FTP-imported ones do. With an
    /// `Idempotency-Key`, the same request sent again gets the first answer and ships nothing.
    @Sendable func reportShipments(_ request: Request, context: APIRequestContext) async throws -> Response {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "the body must be application/json", field: "Content-Type")
        }
        let key = try Self.idempotencyKey(request.headers[named: "Idempotency-Key"])
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: options.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: options.maxBodyBytes)
        }
        let body = Array(buffer.readableBytesView)
        let shipments: [ReportedShipment]
        switch ShipmentReportBody.decode(body) {
        case .success(let decoded): shipments = decoded
        case .failure(let error): throw APIError.badRequest(field: error.field, error.message)
        }
        let digest = Hashing.sha256(body).hexString
        let store = self.store
        let report = try await Blocking.run {
            try store.reportShipments(shipments, idempotencyKey: key, requestDigest: digest, at: Date())
        }
        switch report {
        case .keyReused:
            throw APIError(.unprocessableContent, code: "idempotency_key_reused",
                           message: "this Idempotency-Key came with another request; use a new key for a new request",
                           field: "Idempotency-Key")
        case .applied(let outcomes):
            return Self.answer(shipments, outcomes, replayed: false)
        case .replayed(let outcomes):
            return Self.answer(shipments, outcomes, replayed: true)
        }
    }

    /// The `Idempotency-Key` header, checked: 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ header: String?) throws(APIError) -> String? {
        guard let header else { return nil }
        guard (1...255).contains(header.utf8.count), header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest(field: "Idempotency-Key", "expected 1 to 255 visible ASCII characters")
        }
        return header
    }

    /// The per-item answer: counts, then one result per item in the request's order.
    static func answer(_ shipments: [ReportedShipment], _ outcomes: [ShipmentOutcome], replayed: Bool) -> Response {
        var accepted = 0, duplicates = 0, rejected = 0
        for outcome in outcomes {
            switch outcome {
            case .applied: accepted += 1
            case .duplicate: duplicates += 1
            case .rejected: rejected += 1
            }
        }
        var json = JSONWriter(capacity: 128 + outcomes.count * 96)
        json.beginObject()
        json.key("accepted"); json.int(accepted)
        json.key("duplicates"); json.int(duplicates)
        json.key("rejected"); json.int(rejected)
        json.key("replayed"); json.bool(replayed)
        json.key("results"); json.beginList()
        for (shipment, outcome) in zip(shipments, outcomes) {
            json.beginObject()
            json.key("shipment"); json.int(shipment.shipment)
            json.key("item"); json.int(shipment.item)
            switch outcome {
            case .applied(let id):
                json.key("status"); json.string("accepted")
                json.key("shipment_id"); json.int(id)
            case .duplicate:
                json.key("status"); json.string("duplicate")
                json.key("reason"); json.string("reported before: nothing shipped again")
            case .rejected(let reason):
                json.key("status"); json.string("rejected")
                json.key("reason"); json.string(reason)
            }
            json.endObject()
        }
        json.endList()
        json.endObject()
        var response = APIResponse.json(json)
        if replayed { response.headers[named: "Idempotent-Replayed"] = "true" }
        return response
    }
}
