import Foundation
import SyndicCore
import SyndicTransfer

/// Builds a channel's product source from its `source.connection`.
struct ProductSources {
    let inputs: FlowInputs
    let http: HTTPClient

    /// The channel's compiled export. With an Akeneo source the completeness condition is
    /// left to Akeneo's `search` (items carry completenesses only for the locales asked for,
    /// so a local re-check would drop products Akeneo selected); every other condition is
    /// checked locally too, with the same meaning.
    func program(for channel: ChannelSpec, spec: Value) throws -> ProductExportProgram {
        var local = channel
        if try sourceType(of: channel) == .akeneo { local.products?.filter?.completeness = nil }
        do {
            return try ProductExportProgram(channel: local, spec: spec)
        } catch {
            throw FlowError(.configuration, "the channel's products cannot be exported: \(error)")
        }
    }

    /// The type of the channel's source connection.
    /// The URL of the channel's Akeneo source, as its client has it (no trailing `/`): where a
    /// watermark was taken; nil for another source.
    func akeneoOrigin(of channel: ChannelSpec) throws -> String? {
        guard let source = channel.source else { return nil }
        let spec = try inputs.connection(source.connection).spec
        guard spec.type == .akeneo, let url = spec.url else { return nil }
        return AkeneoClient.normalized(url)
    }

    func sourceType(of channel: ChannelSpec) throws -> ConnectionType {
        guard let source = channel.source else { throw FlowError(.configuration, "the channel has no source") }
        return try inputs.connection(source.connection).spec.type
    }

    /// The channel's product source. An Akeneo source is asked for the channel's locales plus
    /// every locale the mapping or filter names explicitly (`name~en_GB`), so that those values
    /// come back too; `read: .updatedSince` adds `updated >` the watermark less the safety
    /// overlap (`AkeneoTime.deltaStart`) to its search. A catalog file is always read whole.
    func source(for channel: ChannelSpec, program: ProductExportProgram,
                read: SourceRead = .everything) throws -> ProductSource {
        guard let source = channel.source else { throw FlowError(.configuration, "the channel has no source") }
        let (resource, spec) = try inputs.connection(source.connection)
        switch spec.type {
        case .catalogFile:
            guard let path = spec.path else { throw FlowError(.configuration, "\(resource.address) has no path") }
            return CatalogFileSource(path: inputs.path(path, in: resource))
        case .akeneo:
            let search: Value
            do {
                search = try FilterEngine(channel.products?.filter ?? ProductFilter()).searchQuery
            } catch {
                throw FlowError(.configuration, "products.filter: \(error.message)")
            }
            var query = AkeneoQuery(search: search, scope: source.scope, locales: Self.locales(source.locales ?? [], program))
            var knownOffset: Int?
            var updatedFrom: String?
            if case .updatedSince(let watermark) = read {
                let from = AkeneoTime.deltaStart(watermark)
                query = query.adding("updated", .object(["operator": .string(">"), "value": .string(from)]))
                knownOffset = watermark.utcOffset
                updatedFrom = from
            }
            let client = try akeneoClient(resource, spec)
            if case .everything = read {
                // A whole read is split by creation date and read by up to `maxConcurrentRequests`
                // cursors at once (one below 2,000 products).
                return AkeneoPartitionedSource(client: client, cancellation: inputs.cancellation, query: query,
                                               readers: spec.maxConcurrentRequests ?? AkeneoGate.defaultPermits)
            }
            return AkeneoSource(client: client, cancellation: inputs.cancellation, query: query,
                                knownOffset: knownOffset, updatedFrom: updatedFrom)
        case .ftp, .ftps, .sftp, .local:
            throw FlowError(.configuration, "\(resource.address) is a \(spec.type.rawValue) connection, not a product source (akeneo, catalog-file)")
        }
    }

    /// The source's locales followed by the other locales the program reads, in order.
    static func locales(_ configured: [String], _ program: ProductExportProgram) -> [String] {
        guard !configured.isEmpty else { return [] }  // no locales asked: Akeneo returns them all
        let read = (program.mapping.attributeLookups + program.filter.attributeLookups).compactMap(\.locale)
        var locales = configured
        for locale in read.sorted() where !locales.contains(locale) { locales.append(locale) }
        return locales
    }

    private func akeneoClient(_ resource: AppliedResource, _ spec: ConnectionSpec) throws -> AkeneoClient {
        guard let url = spec.url else { throw FlowError(.configuration, "\(resource.address) has no url") }
        let credentials = AkeneoClient.Credentials(
            clientId: try inputs.secret(spec.clientId, of: resource, field: "clientId"),
            secret: try inputs.secret(spec.secret, of: resource, field: "secret"),
            username: try inputs.secret(spec.username, of: resource, field: "username"),
            password: try inputs.secret(spec.password, of: resource, field: "password"))
        return AkeneoClient(baseURL: url, credentials: credentials, owner: resource.address, use: inputs.credentialUse,
                            http: http, maxConcurrentRequests: spec.maxConcurrentRequests ?? AkeneoGate.defaultPermits)
    }
}
