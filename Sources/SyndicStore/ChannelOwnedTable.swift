import SyndicCore
/// A table whose rows belong to a channel: counted in the delete plan, deleted with it.
///
/// Every table a later flow adds for a channel's data (runs, logs, export records, orders,
/// shipments) registers here, so deletes and their plans never miss data.
public struct ChannelOwnedTable: Sendable, Hashable {
    /// The table name.
    public var table: String
    /// What its rows are, for plans: "credential fingerprints".
    public var label: String
    /// The column holding the channel name.
    public var channelColumn: String
    /// An extra SQL condition selecting the channel's rows, if the table is shared.
    public var condition: String?

    public init(table: String, label: String, channelColumn: String = "channel", condition: String? = nil) {
        self.table = table
        self.label = label
        self.channelColumn = channelColumn
        self.condition = condition
    }

    /// Every channel-owned table, in the order plans list them.
    public static let all: [ChannelOwnedTable] = [
        ChannelOwnedTable(table: "credential", label: "credential fingerprints", channelColumn: "name",
                          condition: "kind = 'Channel'"),
        ChannelOwnedTable(table: "suspension", label: "suspensions"),
        ChannelOwnedTable(table: "job_schedule", label: "job schedules"),
        ChannelOwnedTable(table: "run", label: "runs"),
        ChannelOwnedTable(table: "run_log", label: "run log lines"),
        ChannelOwnedTable(table: "event", label: "events"),
        ChannelOwnedTable(table: "export_snapshot", label: "delta snapshots"),
        ChannelOwnedTable(table: "export_snapshot_part", label: "delta snapshot parts"),
        ChannelOwnedTable(table: "export_record", label: "export records"),
        ChannelOwnedTable(table: "run_artifact", label: "run files"),
        ChannelOwnedTable(table: "requirement_set", label: "marketplace requirements"),
        ChannelOwnedTable(table: "orders", label: "orders"),
        ChannelOwnedTable(table: "order_line", label: "order lines"),
        ChannelOwnedTable(table: "shipment", label: "shipments"),
        ChannelOwnedTable(table: "shipment_item", label: "shipment items"),
        ChannelOwnedTable(table: "shipment_request", label: "shipment requests"),
        ChannelOwnedTable(table: "order_event", label: "order events"),
        ChannelOwnedTable(table: "order_error", label: "order errors"),
        ChannelOwnedTable(table: "order_cursor", label: "order cursors"),
    ]
}
