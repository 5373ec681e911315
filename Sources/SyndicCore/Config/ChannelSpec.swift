/// The typed spec of a `Channel` resource. Decoded from its normalized value.
public struct ChannelSpec: Hashable, Sendable, Codable {
    public var type: ChannelType
    public var status: String?
    public var timezone: String?
    public var endpoint: String?
    /// mirakl: the shop a multi-shop API key acts for.
    public var shopId: String?
    /// amazon-seller: the SP-API marketplace id (`A13V1IB3VIYZZH`).
    public var marketplaceId: String?
    /// amazon-seller: the Login with Amazon token URL.
    public var tokenEndpoint: String?
    public var credentials: [String: SecretReference]?
    public var source: Source?
    public var products: Products?
    public var orders: Orders?
    public var logs: Logs?

    /// Whether the channel is active (channels are inactive by default).
    public var isActive: Bool { status == "active" }
    /// The zone schedules are read in.
    public var timeZoneIdentifier: String { timezone ?? "UTC" }

    /// Where products come from.
    public struct Source: Hashable, Sendable, Codable {
        public var connection: String
        public var scope: String?
        public var locales: [String]?
    }

    /// A schedule as written: one of every, at (+ days), cron.
    public struct ScheduleSpec: Hashable, Sendable, Codable {
        public var every: String?
        public var at: String?
        public var days: [String]?
        public var cron: String?

        /// The parsed schedule.
        public func parsed() throws(ScheduleError) -> Schedule {
            try Schedule(every: every, at: at, days: days, cron: cron)
        }
    }

    /// A folder on a storage connection.
    public struct Storage: Hashable, Sendable, Codable {
        public var connection: String
        public var folder: String?
    }

    /// Product export settings.
    public struct Products: Hashable, Sendable, Codable {
        public var filter: ProductFilter?
        public var mapping: [String: MappingValue]?
        /// The mapping's targets in the order the file writes them: the columns of every row.
        /// Recorded by the compiler (never written by hand); absent in specs stored before
        /// the order was kept, whose columns are in name order (`MappingOrder`).
        public var mappingOrder: [String]?
        public var export: Export?
        public var requirementsSync: RequirementsSync?

        /// How and when products are sent.
        public struct Export: Hashable, Sendable, Codable {
            public var schedule: ScheduleSpec?
            public var delta: Bool?
            public var batchSize: Int?
            public var valueSeparator: String?
            public var storage: Storage?
            /// Holds an export before anything is sent when it looks wrong (see `ExportGuard`).
            public var `guard`: Guard?

            /// `products.export.guard`: the limits of the export guard, in percent (0–100).
            public struct Guard: Hashable, Sendable, Codable {
                /// The largest drop allowed in the number of products to export, against the
                /// last successful export.
                public var maxDropPercent: Int?
                /// The largest share allowed of invalid or skipped products.
                public var maxInvalidPercent: Int?

                public init(maxDropPercent: Int? = nil, maxInvalidPercent: Int? = nil) {
                    self.maxDropPercent = maxDropPercent
                    self.maxInvalidPercent = maxInvalidPercent
                }
            }
        }

        /// Marketplace requirements synchronization.
        public struct RequirementsSync: Hashable, Sendable, Codable {
            public var schedule: ScheduleSpec?
        }
    }

    /// Order flows.
    public struct Orders: Hashable, Sendable, Codable {
        public var retrieval: Bool?
        public var confirmations: Bool?
        public var export: Export?
        public var shipmentImport: ShipmentImport?
        /// How many days back the first order retrieval looks (30 by default).
        public var lookbackDays: Int?
        /// mirakl: accept orders waiting for acceptance (OR21), every line (off by default).
        public var accept: Bool?
        /// The carrier codes the ERP reports, mapped to the marketplace's.
        public var carriers: [String: CarrierMapping]?

        /// The FTP order-export job.
        public struct Export: Hashable, Sendable, Codable {
            public var schedule: ScheduleSpec?
            public var storage: Storage
            public var statuses: [String]?
            public var splitBy: [String]?
            /// Whether buyer and marketplace text that a spreadsheet would run as a formula gets
            /// a `'` in front (on by default; see `OrderExportTemplate.marketplaceTextColumns`).
            public var escapeFormulas: Bool?
        }

        /// The FTP shipment-confirmation import job.
        public struct ShipmentImport: Hashable, Sendable, Codable {
            public var schedule: ScheduleSpec?
            public var storage: Storage
            /// A file is imported once it kept its size and modification time this many
            /// seconds (30 by default; 0 imports at once).
            public var settleSeconds: Int?
        }
    }

    /// Run log settings.
    public struct Logs: Hashable, Sendable, Codable {
        public var minimal: Bool?
        public var retainDays: Int?
    }
}
