import Foundation
import SyndicCore
import SyndicTransfer

/// Builds a channel's product destination from its type.
struct ProductDestinations {
    let inputs: FlowInputs
    let job: ProductExportJob

    func destination(for channel: ChannelSpec, targets: [String], at date: Date, dryRun: Bool,
                     delta: Bool) throws -> ProductDestination {
        let name = inputs.channel.name
        let fileName = ExportFileName.products(channel: name, at: date)
        switch channel.type {
        case .flatFile:
            let dryRunDirectory = inputs.workDirectory.appendingPathComponent("dry-runs").appendingPathComponent(name)
            var storage: CurlStorage?
            var folder = ""
            if !dryRun {
                guard let target = channel.products?.export?.storage else {
                    throw FlowError(.configuration, "a flat-file channel needs products.export.storage")
                }
                let location = try inputs.storage(target)
                storage = CurlStorage(location.location)
                folder = location.folder
            }
            return try FlatFileDestination(targets: targets, fileName: fileName, storage: storage, folder: folder,
                                           workDirectory: inputs.scratchDirectory,
                                           dryRunDirectory: dryRun ? dryRunDirectory : nil, skipEmpty: delta)
        case .akeneoAPI:
            // A dry run sends nothing, but reads the target's attribute types like a real run.
            let target = dryRun ? try? akeneoClient(channel) : try akeneoClient(channel)
            return try AkeneoAPIDestination(client: dryRun ? nil : target, typesClient: target, targets: targets,
                                            separator: channel.products?.export?.valueSeparator ?? MappingContext.defaultValueSeparator,
                                            batchSize: channel.products?.export?.batchSize)
        case .mirakl:
            let client = dryRun ? nil : try miraklClient(channel)
            return MiraklOfferDestination(client: client, targets: targets,
                                          fileName: fileName.replacingOccurrences(of: "products_export", with: "offers_export"),
                                          pollInterval: job.miraklPollInterval, skipEmpty: delta,
                                          cancellation: inputs.cancellation)
        case .amazonSeller:
            throw FlowError(.configuration, "product export to \(channel.type.rawValue) channels is not available in this build (flat-file, akeneo-api and mirakl are)")
        }
    }

    /// A query parameter value, percent-encoded.
    static func encode(_ text: String) -> String { AkeneoSource.encode(text) }

    private func endpoint(_ channel: ChannelSpec) throws -> String {
        guard let endpoint = channel.endpoint else { throw FlowError(.configuration, "the channel has no endpoint") }
        return endpoint
    }

    private func akeneoClient(_ channel: ChannelSpec) throws -> AkeneoClient {
        let resource = inputs.channel
        let given = channel.credentials ?? [:]
        let credentials = AkeneoClient.Credentials(
            clientId: try inputs.secret(given["clientId"], of: resource, field: "credentials.clientId"),
            secret: try inputs.secret(given["secret"], of: resource, field: "credentials.secret"),
            username: try inputs.secret(given["username"], of: resource, field: "credentials.username"),
            password: try inputs.secret(given["password"], of: resource, field: "credentials.password"))
        return AkeneoClient(baseURL: try endpoint(channel), credentials: credentials, owner: resource.address,
                            use: inputs.credentialUse, http: job.http)
    }

    func miraklClient(_ channel: ChannelSpec) throws -> MiraklClient {
        let apiKey = try inputs.secret(channel.credentials?["apiKey"], of: inputs.channel, field: "credentials.apiKey")
        return MiraklClient(baseURL: try endpoint(channel), apiKey: apiKey, owner: inputs.channel.address,
                            use: inputs.credentialUse, shopID: channel.shopId.map(Self.encode), http: job.http)
    }
}
