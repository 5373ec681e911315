import Foundation
import SyndicCore

/// The channels page: each channel's type, status, suspension, credentials, its jobs' next
/// fire times and last runs, and a badge when it needs attention.
struct ChannelsPage: Sendable {
    var frame: PageFrame
    var channels: [Row]
    var hasChannels: Bool
    /// `2 of 5 channels need attention`, or that none does.
    var summary: String

    struct Row: Sendable, Equatable {
        var name: String
        var channelHref: String
        var type: String
        var status: String
        var suspended: Bool
        var suspension: String
        var credentials: String
        var credentialsInvalid: Bool
        var needsAttention: Bool
        var attention: String
        var jobs: [ChannelFacts.Job]
        var hasJobs: Bool
    }

    static func build(_ inputs: [ChannelFacts.Input], now: Date, csrf: String) -> ChannelsPage {
        let rows = inputs.map { input -> Row in
            let facts = ChannelFacts(input, now: now)
            return Row(name: facts.name, channelHref: facts.href, type: facts.type, status: facts.status,
                       suspended: facts.suspension != nil, suspension: facts.suspensionText,
                       credentials: facts.credentialSummary, credentialsInvalid: facts.credentialsInvalid,
                       needsAttention: !facts.attention.isEmpty, attention: facts.attention.joined(separator: "; "),
                       jobs: facts.jobs, hasJobs: !facts.jobs.isEmpty)
        }
        let attention = rows.filter(\.needsAttention).count
        let summary = rows.isEmpty ? "No channels applied yet: run `syndic apply` with your configuration."
            : attention == 0 ? "\(PageFormat.count(rows.count, "channel")); none needs attention."
            : "\(attention) of \(PageFormat.count(rows.count, "channel")) need\(attention == 1 ? "s" : "") attention."
        return ChannelsPage(frame: PageFrame(title: "Channels", section: .channels, csrf: csrf), channels: rows,
                            hasChannels: !rows.isEmpty, summary: summary)
    }
}
