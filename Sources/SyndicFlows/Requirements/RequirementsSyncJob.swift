import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// The requirements sync: fetches the attributes a Mirakl
/// marketplace knows (PM11) and stores them for the channel; `validate` and `plan` then check
/// the channel's mapping against them. A dry run fetches and reports without storing.
public struct RequirementsSyncJob: Job {
    public let kind = JobKind.requirementsSync
    public var http: HTTPClient

    public init(http: HTTPClient = HTTPClient()) {
        self.http = http
    }

    public func run(_ context: JobContext) async throws -> JobResult {
        try await DedicatedThreads.run { [self] _ in
            let inputs = FlowInputs(context)
            return try FlowError.reportingCredentials(inputs.credentialUse) { try sync(context, inputs) }
        }
    }

    private func sync(_ context: JobContext, _ inputs: FlowInputs) throws -> JobResult {
        let channel: ChannelSpec
        do {
            channel = try context.channel.channelSpec()
        } catch {
            throw FlowError(.configuration, "the channel cannot be read from the state: \(error)")
        }
        guard channel.type == .mirakl else {
            throw FlowError(.configuration, "requirements sync is only available for mirakl channels")
        }
        let client = try ProductDestinations(inputs: inputs, job: ProductExportJob(http: http)).miraklClient(channel)
        let attributes = try client.attributes()
        let requirements = RequirementSet(fetchedAt: context.now(), attributes: attributes)
        if !context.run.dryRun {
            try context.exports.saveRequirements(requirements, channel: context.channel.name)
        }
        let required = attributes.filter(\.required)
        let mapped = Set(channel.products?.mapping?.keys.map { $0 } ?? [])
        let missing = required.map(\.code).filter { !mapped.contains($0) }
        var lines = ["\(context.run.dryRun ? "dry run: fetched" : "stored") \(attributes.count) attributes of \(client.baseURL), \(required.count) required"]
        if !missing.isEmpty { lines.append("required and not mapped: " + missing.joined(separator: ", ")) }
        return JobResult(counts: ["attributes": attributes.count, "required": required.count, "unmapped_required": missing.count],
                         report: lines.joined(separator: "\n"))
    }
}
