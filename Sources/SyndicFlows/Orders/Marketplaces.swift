import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// Builds a channel's marketplace order client from its type, endpoint and credentials.
enum Marketplaces {
    /// The Login with Amazon token URL when a channel names none.
    static let defaultAmazonTokenURL = "https://api.amazon.com/auth/o2/token"

    /// A dry run accepts no order on the marketplace.
    static func orders(_ channel: ChannelSpec, inputs: FlowInputs, http: HTTPClient, dryRun: Bool = false,
                       now: @escaping @Sendable () -> Date) throws -> any MarketplaceOrders {
        guard let endpoint = channel.endpoint else {
            throw FlowError(.configuration, "the channel has no endpoint (the marketplace API base URL)")
        }
        let resource = inputs.channel
        switch channel.type {
        case .mirakl:
            let apiKey = try inputs.secret(channel.credentials?["apiKey"], of: resource, field: "credentials.apiKey")
            return MiraklOrders(client: MiraklClient(baseURL: endpoint, apiKey: apiKey, owner: resource.address,
                                                     use: inputs.credentialUse,
                                                     shopID: channel.shopId.map(ProductDestinations.encode), http: http),
                                accept: channel.orders?.accept == true && !dryRun, carriers: channel.orders?.carriers ?? [:])
        case .amazonSeller:
            guard let marketplaceID = channel.marketplaceId else {
                throw FlowError(.configuration, "the channel has no marketplaceId (the SP-API marketplace id)")
            }
            let given = channel.credentials ?? [:]
            let credentials = AmazonOrders.Credentials(
                clientId: try inputs.secret(given["clientId"], of: resource, field: "credentials.clientId"),
                clientSecret: try inputs.secret(given["clientSecret"], of: resource, field: "credentials.clientSecret"),
                refreshToken: try inputs.secret(given["refreshToken"], of: resource, field: "credentials.refreshToken"))
            return AmazonOrders(baseURL: endpoint, tokenURL: channel.tokenEndpoint ?? defaultAmazonTokenURL,
                                marketplaceID: marketplaceID, credentials: credentials, owner: resource.address,
                                use: inputs.credentialUse, http: http, carriers: channel.orders?.carriers ?? [:],
                                cancellation: inputs.cancellation, now: now)
        case .flatFile, .akeneoAPI:
            throw FlowError(.configuration, "orders come from marketplace channels (mirakl, amazon-seller), not \(channel.type.rawValue)")
        }
    }

    /// The channel's spec, as the order jobs need it.
    static func channelSpec(_ context: JobContext) throws -> ChannelSpec {
        do {
            return try context.channel.channelSpec()
        } catch {
            throw FlowError(.configuration, "the channel cannot be read from the state: \(error)")
        }
    }
}
