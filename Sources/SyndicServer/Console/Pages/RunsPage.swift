import Foundation
import SyndicCore

/// The runs page: runs newest first, filtered by channel, job and status, 50 a page.
struct RunsPage: Sendable {
    static let pageSize = 50
    static let allRuns = PageLink(text: "All runs", href: "/runs")

    var frame: PageFrame
    var channelOptions: [PageOption]
    var jobOptions: [PageOption]
    var statusOptions: [PageOption]
    var runs: [RunRow]
    var hasRuns: Bool
    var summary: String
    var previous: [PageLink]
    var next: [PageLink]

    /// The filters of the page, read from its URL.
    struct Query: Sendable, Equatable {
        var channel: String?
        var job: JobKind?
        var status: RunStatus?
        var page = 1

        /// Reads `channel`, `job`, `status` and `page`; an unknown job or status, or a page
        /// that is not a positive number, is refused with what is expected.
        init(_ query: ConsoleQuery) throws(ConsoleError) {
            channel = query.value("channel")
            if let text = query.value("job") {
                guard let job = JobKind(rawValue: text) else {
                    throw .badRequest("job \"\(text)\" is not one of \(JobKind.allCases.map(\.rawValue).joined(separator: ", "))",
                                      back: RunsPage.allRuns)
                }
                self.job = job
            }
            if let text = query.value("status") {
                guard let status = RunStatus(rawValue: text) else {
                    throw .badRequest("status \"\(text)\" is not one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                                      back: RunsPage.allRuns)
                }
                self.status = status
            }
            if let text = query.value("page") {
                guard let page = Int(text), page >= 1, page <= Int.max / RunsPage.pageSize - 1 else {
                    throw .badRequest("page \"\(text)\" is not a page number (1, 2, …)", back: RunsPage.allRuns)
                }
                self.page = page
            }
        }

        /// The store's filter: the runs of this page, and one more to know if a next page exists.
        var filter: RunFilter {
            RunFilter(channel: channel, job: job, status: status, limit: RunsPage.pageSize + 1,
                      offset: (page - 1) * RunsPage.pageSize)
        }

        /// The URL query of these filters on `page`.
        func query(page: Int) -> ConsoleQuery {
            ConsoleQuery([("channel", channel ?? ""), ("job", job?.rawValue ?? ""), ("status", status?.rawValue ?? ""),
                          ("page", page == 1 ? "" : String(page))])
        }
    }

    /// `runs` is what `query.filter` returned (this page's runs, and one more when there is
    /// a next page); `channels` the applied channels' names.
    static func build(_ query: Query, runs: [RunInfo], channels: [String], csrf: String) -> RunsPage {
        let start = (query.page - 1) * pageSize
        let shown = Array(runs.prefix(pageSize))
        let hasNext = runs.count > pageSize
        var names = channels
        if let channel = query.channel, !names.contains(channel) { names.append(channel) }
        let summary = shown.isEmpty ? (query.page == 1 ? "No runs match." : "No runs on this page.")
            : "Runs \(start + 1)–\(start + shown.count), newest first" + (hasNext ? "; more on the next page." : ".")
        return RunsPage(
            frame: PageFrame(title: "Runs", section: .runs, csrf: csrf),
            channelOptions: PageOption.list(all: "All channels", names.sorted().map { (value: $0, label: $0) }, current: query.channel),
            jobOptions: PageOption.list(all: "All jobs", JobKind.allCases.map { (value: $0.rawValue, label: $0.rawValue) },
                                        current: query.job?.rawValue),
            statusOptions: PageOption.list(all: "All statuses", RunStatus.allCases.map { (value: $0.rawValue, label: $0.rawValue) },
                                           current: query.status?.rawValue),
            runs: shown.map(RunRow.init), hasRuns: !shown.isEmpty, summary: summary,
            previous: query.page > 1 ? [PageLink(text: "Newer runs", href: query.query(page: query.page - 1).link("/runs"))] : [],
            next: hasNext ? [PageLink(text: "Older runs", href: query.query(page: query.page + 1).link("/runs"))] : [])
    }
}

