/// The schema of every resource kind.
public enum ResourceSchemas {
    /// Channel types.
    public static let channelTypes = ChannelType.allCases.map(\.rawValue)
    /// Connection types.
    public static let connectionTypes = ConnectionType.allCases.map(\.rawValue)
    /// Connection types a channel may read products from.
    public static let sourceTypes = ConnectionType.productSources.map(\.rawValue)
    /// Connection types a channel may write files to or read files from.
    public static let storageTypes = ConnectionType.storages.map(\.rawValue)
    /// Normalized order statuses.
    public static let orderStatuses = [
        "PENDING", "WAITING_FOR_SHIPMENT", "PARTIALLY_SHIPPED", "SHIPPED", "REFUSED", "CANCELED", "UNKNOWN",
    ]
    /// Akeneo attribute filter operators.
    public static let filterOperators = FilterOperator.allCases.map(\.rawValue)
    /// Product properties a mapping's object form may read with `field`.
    public static let productFields = [
        "uuid", "identifier", "family", "parent", "categories", "groups", "enabled", "created", "updated",
    ]

    /// The top level of every document.
    public static let document = ObjectSchema(doc: "A syndic resource.", fields: [
        .init("apiVersion", .string(StringSchema(doc: "Always syndic/v1.", values: ["syndic/v1"])), required: true),
        .init("kind", .string(StringSchema(doc: "The resource kind.", values: ResourceKind.allCases.map(\.rawValue))),
              required: true),
        .init("metadata", .object(metadata), required: true),
        .init("spec", .any(doc: "The resource's settings; their shape depends on the kind."), required: true),
    ])

    static let metadata = ObjectSchema(doc: "Name and labels.", fields: [
        .init("name", .string(StringSchema(doc: "Unique per kind; used in file names and addresses.",
                                           pattern: .resourceName)), required: true),
        .init("labels", .dictionary(keyPattern: .labelKey, value: .string(StringSchema(doc: "Label value.")),
                                    doc: "Free-form labels.")),
        .init("formerNames", .list(.string(StringSchema(doc: "A name the resource had.", pattern: .resourceName)),
                                   doc: "Names the resource had: a plan renames the applied resource of such a "
                                       + "name, keeping all its data, instead of deleting it and creating this one.")),
    ])

    /// The spec of a resource of `kind`.
    public static func spec(for kind: ResourceKind) -> ObjectSchema {
        switch kind {
        case .connection: return connection
        case .channel: return channel
        case .notification: return notification
        }
    }

    // MARK: - Connection

    public static let connection = ObjectSchema(doc: "A PIM, catalog file or file storage a channel uses.", fields: [
        .init("type", .string(StringSchema(doc: "The connection type.", values: connectionTypes)), required: true),
        .init("url", .string(StringSchema(doc: "akeneo: base URL of the PIM."))),
        .init("clientId", .secret(doc: "akeneo: API client id.")),
        .init("secret", .secret(doc: "akeneo: API client secret.")),
        .init("username", .secret(doc: "akeneo, ftp, ftps, sftp: user name.")),
        .init("password", .secret(doc: "akeneo, ftp, ftps, sftp: password.")),
        .init("privateKey", .secret(doc: "sftp: private key (instead of a password).")),
        .init("host", .string(StringSchema(doc: "ftp, ftps, sftp: server host name."))),
        .init("port", .integer(min: 1, max: 65535, doc: "ftp, ftps, sftp: server port.")),
        .init("path", .string(StringSchema(doc: "catalog-file: JSON-lines file; local: directory. Relative to this file."))),
        .init("caFile", .string(StringSchema(doc: "ftps: PEM file of the CA that signed the server's certificate (instead of the system CAs). Relative to this file."))),
        .init("hostKey", .string(StringSchema(doc: "sftp: the server's host key SHA-256 fingerprint (SHA256:… as ssh-keygen -lf prints it); checked on every connection."))),
        .init("maxConcurrentRequests", .integer(min: 1, max: 4, doc: "akeneo: API calls sent at once on this connection, full reads split over as many readers; default 4, the most Akeneo allows per connection. Lower it when other integrations share the connection.")),
    ])

    /// Which connection keys a connection of `type` accepts, and which it requires.
    public static func connectionKeys(of type: ConnectionType) -> (allowed: [String], required: [String]) {
        switch type {
        case .akeneo:
            return (["url", "clientId", "secret", "username", "password", "maxConcurrentRequests"],
                    ["url", "clientId", "secret", "username", "password"])
        case .catalogFile: return (["path"], ["path"])
        case .local: return (["path"], ["path"])
        case .ftp: return (["host", "port", "username", "password"], ["host", "username", "password"])
        case .ftps: return (["host", "port", "username", "password", "caFile"], ["host", "username", "password"])
        case .sftp: return (["host", "port", "username", "password", "privateKey", "hostKey"], ["host", "username"])
        }
    }

    // MARK: - Channel

    public static let channel = ObjectSchema(doc: "A syndication channel: a marketplace, retailer or flat-file partner.", fields: [
        .init("type", .string(StringSchema(doc: "The channel type.", values: channelTypes)), required: true),
        .init("status", .string(StringSchema(doc: "active or inactive (the default).", values: ["active", "inactive"]))),
        .init("timezone", .string(StringSchema(doc: "IANA time zone schedules are read in; default UTC."))),
        .init("endpoint", .string(StringSchema(doc: "Marketplace or target API base URL (not for flat-file)."))),
        .init("shopId", .string(StringSchema(doc: "mirakl: the shop a multi-shop API key acts for (the shop_id parameter of every call)."))),
        .init("marketplaceId", .string(StringSchema(doc: "amazon-seller: the SP-API marketplace id orders are read from and confirmed to (A13V1IB3VIYZZH for Amazon.fr)."))),
        .init("tokenEndpoint", .string(StringSchema(doc: "amazon-seller: the Login with Amazon token URL; default https://api.amazon.com/auth/o2/token."))),
        .init("credentials", .dictionary(keyPattern: nil, value: .secret(doc: "A credential."),
                                         doc: "The channel's credentials, each {env: NAME} or {file: PATH}.")),
        .init("source", .object(source)),
        .init("products", .object(products)),
        .init("orders", .object(orders)),
        .init("logs", .object(logs)),
    ])

    /// Credential keys a channel of `type` accepts; all are required to activate the channel.
    public static func channelCredentialKeys(of type: ChannelType) -> [String] {
        switch type {
        case .mirakl: return ["apiKey"]
        case .amazonSeller: return ["clientId", "clientSecret", "refreshToken"]
        case .akeneoAPI: return ["clientId", "secret", "username", "password"]
        case .flatFile: return []
        }
    }

    static let source = ObjectSchema(doc: "Where products come from.", fields: [
        .init("connection", .reference(kind: .connection, allowedTypes: sourceTypes,
                                       doc: "An akeneo or catalog-file connection."), required: true),
        .init("scope", .string(StringSchema(doc: "Akeneo channel (scope) values are read from."))),
        .init("locales", .list(.string(StringSchema(doc: "A locale code.")), doc: "Locales to read.")),
    ])

    static let schedule = ObjectSchema(doc: "When a job runs: one of every, at (+days), cron.", fields: [
        .init("every", .string(StringSchema(doc: "An interval aligned to the clock: 15m, 1h."))),
        .init("at", .string(StringSchema(doc: "Daily time HH:MM."))),
        .init("days", .list(.string(StringSchema(doc: "A weekday.", values: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])),
                            doc: "Weekdays for a weekly schedule (with at).")),
        .init("cron", .string(StringSchema(doc: "Five-field cron expression: m h dom mon dow."))),
    ])

    static let storage = ObjectSchema(doc: "A folder on a storage connection.", fields: [
        .init("connection", .reference(kind: .connection, allowedTypes: storageTypes,
                                       doc: "A local, ftp, ftps or sftp connection."), required: true),
        .init("folder", .string(StringSchema(doc: "Folder on the storage, under the connection's root (local: its path; ftp, ftps, sftp: the login directory, or the server root when the folder starts with /). Default: that root."))),
    ])

    static let filter = ObjectSchema(doc: "Which products are exported (Akeneo search semantics).", fields: [
        .init("enabled", .boolean(doc: "Only enabled (true) or disabled (false) products.")),
        .init("families", .list(.string(StringSchema(doc: "A family code.")), doc: "Families to include.")),
        .init("categories", .object(ObjectSchema(doc: "Category membership.", fields: [
            .init("in", .list(.string(StringSchema(doc: "A category code.")), doc: "In any of these categories.")),
            .init("notIn", .list(.string(StringSchema(doc: "A category code.")), doc: "In none of these categories.")),
        ]))),
        .init("completeness", .object(ObjectSchema(doc: "Minimum completeness.", fields: [
            .init("scope", .string(StringSchema(doc: "Channel (scope) of the completeness.")), required: true),
            .init("min", .integer(min: 0, max: 100, doc: "Minimum percentage."), required: true),
            .init("locales", .list(.string(StringSchema(doc: "A locale code.")), doc: "Locales that must be complete.")),
        ]))),
        .init("attributes", .list(.object(ObjectSchema(doc: "An attribute condition.", fields: [
            .init("attribute", .string(StringSchema(doc: "Attribute code.")), required: true),
            .init("operator", .string(StringSchema(doc: "Akeneo operator.", values: filterOperators)), required: true),
            .init("value", .any(doc: "Operand; a list for IN / NOT IN / BETWEEN.")),
            .init("locale", .string(StringSchema(doc: "Locale of a localizable attribute."))),
            .init("scope", .string(StringSchema(doc: "Scope of a scopable attribute."))),
        ])), doc: "Attribute conditions, all of which must hold.")),
    ])

    static let mappingObject = ObjectSchema(doc: "Object form of a mapping value.", fields: [
        .init("field", .string(StringSchema(doc: "A product property.", values: productFields))),
        .init("attribute", .string(StringSchema(doc: "An attribute code."))),
        .init("locale", .string(StringSchema(doc: "Locale of the attribute value."))),
        .init("scope", .string(StringSchema(doc: "Scope of the attribute value."))),
        .init("currency", .string(StringSchema(doc: "Price currency (EUR) or 'currency' for \"740.00 EUR\"."))),
        .init("unit", .boolean(doc: "Render a metric as \"3000.00 MMT\".")),
        .init("value", .any(doc: "A constant value.")),
        .init("default", .any(doc: "Value used when the source has none.")),
        .init("required", .boolean(doc: "Skip the product (with its reason in the report) when there is no value.")),
    ])

    static let products = ObjectSchema(doc: "Product export settings.", fields: [
        .init("filter", .object(filter)),
        .init("mapping", .dictionary(keyPattern: nil,
                                     value: .stringOrObject(StringSchema(doc: "code, code~locale, code~scope, code~locale~scope, price@EUR, price@currency, metric@unit."),
                                                            mappingObject),
                                     doc: "Target field -> source value.")),
        .init("export", .object(ObjectSchema(doc: "How and when products are sent.", fields: [
            .init("schedule", .object(schedule)),
            .init("delta", .boolean(doc: "Send only products whose output changed since the last successful export.")),
            .init("batchSize", .integer(min: 1, max: 10000, doc: "Products per request (akeneo-api: at most 100 are sent at once).")),
            .init("valueSeparator", .string(StringSchema(doc: "Joins multi-values; default <###>."))),
            .init("storage", .object(storage)),
            .init("guard", .object(ObjectSchema(doc: "Holds an export before anything is sent (status held, an export-held alert) when it looks wrong; syndic run CHANNEL product-export --force sends it once.", fields: [
                .init("maxDropPercent", .integer(min: 0, max: 100, doc: "Hold when the products to export are more than this percentage fewer than at the last successful export.")),
                .init("maxInvalidPercent", .integer(min: 0, max: 100, doc: "Hold when more than this percentage of the products that pass the filter are invalid or skipped.")),
            ]))),
        ]))),
        .init("requirementsSync", .object(ObjectSchema(doc: "Marketplace requirements synchronization.", fields: [
            .init("schedule", .object(schedule)),
        ]))),
    ])

    static let orders = ObjectSchema(doc: "Order flows.", fields: [
        .init("retrieval", .boolean(doc: "Fetch orders every 5 minutes.")),
        .init("confirmations", .boolean(doc: "Push shipment confirmations every 15 minutes.")),
        .init("lookbackDays", .integer(min: 1, max: 3650, doc: "How many days back the first retrieval reads orders; default 30.")),
        .init("accept", .boolean(doc: "mirakl: accept every line of orders waiting for acceptance (OR21); default false.")),
        .init("carriers", .dictionary(keyPattern: nil, value: .stringOrObject(
            StringSchema(doc: "The marketplace's carrier code for this ERP carrier code."),
            ObjectSchema(doc: "A carrier the marketplace may not know.", fields: [
                .init("code", .string(StringSchema(doc: "The marketplace's carrier code."))),
                .init("name", .string(StringSchema(doc: "The carrier's name, sent when the marketplace does not know it."))),
                .init("url", .string(StringSchema(doc: "The carrier's tracking page, sent with the name."))),
            ])), doc: "Carrier codes of shipments (the ERP's) mapped to the marketplace's.")),
        .init("export", .object(ObjectSchema(doc: "FTP order-export job: changed orders as CSV files on the channel's storage.", fields: [
            .init("schedule", .object(schedule)),
            .init("storage", .object(storage), required: true),
            .init("statuses", .list(.string(StringSchema(doc: "A normalized order status.", values: orderStatuses)),
                                    doc: "Statuses to export; empty = all.")),
            .init("splitBy", .list(.string(StringSchema(doc: "A split criterion.", values: ["fulfillment", "country"])),
                                   doc: "Split files by fulfillment and/or shipping country.")),
            .init("escapeFormulas", .boolean(doc: "Put a ' before buyer and marketplace text cells that start with =, +, -, @, "
                                             + "tab or CR, so that spreadsheets do not run them as formulas; default true.")),
        ]))),
        .init("shipmentImport", .object(ObjectSchema(doc: "FTP shipment-confirmation import job: the ERP's shipment CSV files, applied and confirmed to the marketplace.", fields: [
            .init("schedule", .object(schedule)),
            .init("storage", .object(storage), required: true),
            .init("settleSeconds", .integer(min: 0, max: 3600, doc: "A file is imported once its size and modification time "
                                              + "stayed the same this many seconds (default 30; 0 imports at once).")),
        ]))),
    ])

    // MARK: - Notification

    /// Notification types.
    public static let notificationTypes = ["webhook", "email"]

    public static let notification = ObjectSchema(doc: "Where alerts go: a webhook or an email, and which events.", fields: [
        .init("type", .string(StringSchema(doc: "webhook (HTTP POST of a JSON event) or email (SMTP).", values: notificationTypes)),
              required: true),
        .init("url", .string(StringSchema(doc: "webhook: the URL events are POSTed to (http or https)."))),
        .init("token", .secret(doc: "webhook: sent as Authorization: Bearer <token> (optional).")),
        .init("server", .string(StringSchema(doc: "email: the SMTP server, smtp://host:port (STARTTLS, required with a login) or smtps://host:port (TLS)."))),
        .init("username", .secret(doc: "email: SMTP user name (optional).")),
        .init("password", .secret(doc: "email: SMTP password (optional).")),
        .init("from", .string(StringSchema(doc: "email: the sender address."))),
        .init("to", .list(.string(StringSchema(doc: "An email address.")), doc: "email: the recipients.")),
        .init("events", .list(.string(StringSchema(doc: "An alert kind.", values: AlertKind.allCases.map(\.rawValue))),
                              doc: "The events this notification takes; default all.")),
        .init("channels", .list(.reference(kind: .channel, allowedTypes: [], doc: "A channel."),
                                doc: "The channels whose events it takes; default all.")),
    ])

    /// Which notification keys each type accepts, and which it requires.
    public static let notificationKeys: [String: (allowed: [String], required: [String])] = [
        "webhook": (["url", "token", "events", "channels"], ["url"]),
        "email": (["server", "username", "password", "from", "to", "events", "channels"], ["server", "from", "to"]),
    ]

    static let logs = ObjectSchema(doc: "Run logs.", fields: [
        .init("minimal", .boolean(doc: "Keep only errors and the summary.")),
        .init("retainDays", .integer(min: 1, max: 3650, doc: "Days runs and logs are kept; default 30.")),
    ])
}
