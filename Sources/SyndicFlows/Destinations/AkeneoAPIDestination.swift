import Foundation
import SyndicCore

/// An akeneo-api channel: mapped products written to another Akeneo with
/// `PATCH /api/rest/v1/products`, at most min(batchSize, 100) per request, one JSON product
/// per line. Akeneo answers one line per product (`line`, `identifier`, `status_code`,
/// `message`); they make the feedback file kept with the run, and products answered with an
/// error status are sent again by the next delta export. The target's attribute types are
/// read first, so that each value goes as its type expects; a value that cannot be converted
/// is a feedback line of its own product, never a failed batch. A dry run keeps the request
/// bodies instead of sending them.
final class AkeneoAPIDestination: ProductDestination {
    private let client: AkeneoClient?
    /// Where the attribute types are read (the target, in a dry run too).
    private let typesClient: AkeneoClient?
    private var writer: AkeneoProductWriter
    private var typesRead = false
    private var typesNote: String?
    private let batchSize: Int
    private let identifierColumn: Int?
    private var batch: [(line: String, key: String, identifier: String, position: Int)] = []
    private var feedback = CSVWriter(header: ["line", "identifier", "status_code", "message"])
    private var dryRunBody = Data()
    private var delivered = 0
    private var refused: [String] = []
    /// Products added so far: the feedback file's `line`.
    private var position = 0

    /// `client` is nil for a dry run; `typesClient` reads the target's attribute types (nil:
    /// values go untyped).
    init(client: AkeneoClient?, typesClient: AkeneoClient? = nil, targets: [String], separator: String, batchSize: Int?) throws {
        self.client = client
        self.typesClient = typesClient ?? client
        do {
            writer = try AkeneoProductWriter(targets: targets, separator: separator)
        } catch {
            throw FlowError(.configuration, "products.mapping: \(error.message)")
        }
        self.batchSize = max(1, min(batchSize ?? 100, 100))
        identifierColumn = targets.firstIndex(of: "identifier")
    }

    func add(_ row: [String], key: String, identifier source: String?) throws {
        // An `identifier` target names the product in the target PIM; else the source's identifier.
        let identifier = identifierColumn.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? source
        position += 1
        guard let identifier, !identifier.isEmpty else {
            refused.append(key)
            feedback.writeRow([String(position), key, "", "the product has no identifier"])
            return
        }
        if !typesRead { try readTypes() }
        let product: Value
        do {
            product = try writer.product(row: row, identifier: identifier)
        } catch {
            // Not sent: the next delta export tries it again once the value or the type is fixed.
            refused.append(key)
            feedback.writeRow([String(position), identifier, "", error.message])
            return
        }
        batch.append((CanonicalJSON.string(product), key, identifier, position))
        if batch.count == batchSize { try send() }
    }

    /// Reads the target PIM's types of the mapped attributes (`GET /api/rest/v1/attributes`,
    /// once per run), so that each value goes as its type expects. A target that does not
    /// let the credentials list attributes (401/403/404), or that a dry run cannot reach,
    /// gets untyped values and a note in the report.
    private func readTypes() throws {
        typesRead = true
        guard let client = typesClient else { return }
        do {
            writer.types = try attributeTypes(client)
        } catch let failure as FlowError where [401, 403, 404].contains(failure.httpStatus ?? 0) || self.client == nil {
            typesNote = "attribute types not read (\(failure.message)): values sent untyped"
        }
    }

    private func attributeTypes(_ client: AkeneoClient) throws -> [String: AkeneoAttribute] {
        var types: [String: AkeneoAttribute] = [:]
        let codes = writer.attributes
        for start in stride(from: 0, to: codes.count, by: 100) {
            let chunk = Array(codes[start..<min(start + 100, codes.count)])
            let search = CanonicalJSON.string(.object(["code": .list([.object([
                "operator": .string("IN"), "value": .list(chunk.map(Value.string)),
            ])])]))
            var next: String? = client.baseURL + "/api/rest/v1/attributes?limit=100&search=" + URLText.component(search)
            while let url = next {
                let response = try client.call("GET", url: url, headers: [("Accept", "application/json")])
                try AkeneoClient.check(response, "GET attributes from Akeneo at \(client.baseURL)")
                guard let page = try? CanonicalJSON.parse(response.text) else {
                    throw FlowError(.remote, "Akeneo at \(client.baseURL) sent attributes that cannot be read")
                }
                for item in page.value(at: "_embedded.items")?.listValue ?? [] {
                    if let attribute = AkeneoAttribute(item: item) { types[attribute.code] = attribute }
                }
                next = try client.nextPage(page.value(at: "_links.next.href")?.stringValue)
            }
        }
        return types
    }

    private func send() throws {
        guard !batch.isEmpty else { return }
        defer { batch.removeAll(keepingCapacity: true) }
        let body = Data(batch.map(\.line).joined(separator: "\n").utf8)
        guard let client else {
            dryRunBody.append(body)
            dryRunBody.append(0x0A)
            delivered += batch.count
            return
        }
        let response = try client.call("PATCH", url: client.baseURL + "/api/rest/v1/products",
                                       headers: [("Content-Type", "application/vnd.akeneo.collection+json")], body: body)
        try AkeneoClient.check(response, "PATCH products to Akeneo at \(client.baseURL)")
        var answered = Set<Int>()
        for text in response.text.split(whereSeparator: \.isNewline) {
            guard let line = try? CanonicalJSON.parse(String(text)), let number = line["line"]?.intValue,
                  (1...batch.count).contains(number) else { continue }
            answered.insert(number)
            let status = line["status_code"]?.intValue ?? 0
            let sent = batch[number - 1]
            var message = line["message"]?.stringValue ?? ""
            if let errors = line["errors"]?.listValue, !errors.isEmpty {
                let details = errors.compactMap { error -> String? in
                    let property = error["property"]?.stringValue ?? error["attribute"]?.stringValue
                    guard let text = error["message"]?.stringValue else { return nil }
                    return property.map { "\($0): \(text)" } ?? text
                }
                message += (message.isEmpty ? "" : " ") + "(" + details.joined(separator: "; ") + ")"
            }
            feedback.writeRow([String(sent.position), sent.identifier, String(status), message])
            if (200..<300).contains(status) { delivered += 1 } else { refused.append(sent.key) }
        }
        for (index, sent) in batch.enumerated() where !answered.contains(index + 1) {
            feedback.writeRow([String(sent.position), sent.identifier, "", "no answer for this line"])
            refused.append(sent.key)
        }
    }

    func finish() throws -> DestinationOutcome {
        try send()
        var outcome = DestinationOutcome(delivered: delivered, refusedKeys: refused)
        if let typesNote { outcome.notes.append(typesNote) }
        if client == nil {
            outcome.artifacts.append(("products.jsonl", dryRunBody))
            let batches = (delivered + batchSize - 1) / batchSize
            outcome.notes.append("dry run: \(delivered) products in \(batches) batch\(batches == 1 ? "" : "es") not sent (products.jsonl)")
        } else {
            outcome.artifacts.append(("feedback.csv", Data(feedback.bytes)))
            outcome.notes.append("Akeneo accepted \(delivered) products, refused \(refused.count) (feedback.csv)")
        }
        return outcome
    }

    func abandon() {}

    /// Batches go to the target as products are added (a dry run sends nothing).
    var sendsWhileAdding: Bool { client != nil }
}
