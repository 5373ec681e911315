import Testing
@testable import SyndicCore

/// YAML text -> `DocumentCompiler.compile` -> `ConfigValidator.validate` -> rendered
/// diagnostics, compared whole: every expected line and nothing else.
struct DocumentCompilerTests {
    /// One YAML file and the exact diagnostics it must produce (next to the shared connections).
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, _ expected: [String]) {
            self.name = name
            self.yaml = yaml
            self.expected = expected
        }
    }

    static let path = "channels/mirakl_fr.yaml"

    /// A valid inactive mirakl channel; `body` continues its spec from line 9.
    static func mirakl(_ body: String) -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: mirakl_fr
        spec:
          type: mirakl
          endpoint: https://mirakl.example/api
          source: {connection: pim}

        """ + body
    }

    /// A channel of `type` named `name`, `body` continuing its spec from line 7.
    static func channel(_ type: String, name: String = "mirakl_fr", _ body: String = "") -> String {
        """
        apiVersion: syndic/v1
        kind: Channel
        metadata:
          name: \(name)
        spec:
          type: \(type)

        """ + body
    }

    static func at(_ line: Int, _ column: Int, _ rest: String) -> String { "\(path):\(line):\(column): \(rest)" }

    // MARK: - Malformed YAML

    static let malformed: [Case] = [
        Case("unclosed flow sequence", """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: [mirakl_fr
            spec:
              type: mirakl
            """, [at(5, 5, "error: malformed YAML: while parsing a flow sequence at line 4, did not find expected ',' or ']'")]),
        Case("bad indentation", """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: mirakl_fr
             spec: {type: mirakl}
            """, [at(5, 2, "error: malformed YAML: while parsing a block mapping at line 1, did not find expected key")]),
        Case("tab indentation", "apiVersion: syndic/v1\nkind: Channel\nmetadata:\n\tname: x\nspec:\n  type: mirakl\n",
             [at(4, 1, "error: malformed YAML: while scanning for the next token at line 4, found character that cannot start any token")]),
        Case("unterminated quoted scalar", mirakl("  timezone: \"Europe/Paris\n"),
             [at(10, 1, "error: malformed YAML: while scanning a quoted scalar at line 9, found unexpected end of stream")]),
        Case("undefined alias", mirakl("  timezone: *zone\n"),
             [at(9, 13, "error: malformed YAML: found undefined alias")]),
    ]

    @Test(arguments: malformed)
    func malformedYAML(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    // MARK: - Keys, types, enumerations, names

    static let schemaProblems: [Case] = [
        Case("unknown spec key with did-you-mean", mirakl("  stauts: active\n"),
             [at(9, 3, #"error: unknown key "stauts" (did you mean "status"?)"#)]),
        Case("unknown spec key without a close candidate", mirakl("  colour: red\n"),
             [at(9, 3, #"error: unknown key "colour" (known keys: type, status, timezone, endpoint, shopId, marketplaceId, tokenEndpoint, credentials, source, products, orders, logs)"#)]),
        Case("unknown nested key names its parent", mirakl("""
              products:
                export:
                  shedule: {at: "02:00"}

            """), [at(11, 7, #"error: unknown key "shedule" in products.export (did you mean "schedule"?)"#)]),
        Case("misspelled top-level key", """
            apiVersion: syndic/v1
            kind: Channel
            metdata:
              name: mirakl_fr
            spec:
              type: mirakl
            """, [at(1, 1, #"error: missing required key "metadata""#),
                  at(3, 1, #"error: unknown key "metdata" (did you mean "metadata"?)"#)]),
        Case("quoted string where a boolean is expected", mirakl("  orders:\n    retrieval: \"true\"\n"),
             [at(10, 16, "error: orders.retrieval: expected true or false, got a quoted string")]),
        Case("list where a mapping is expected", mirakl("  logs: [minimal]\n"),
             [at(9, 9, "error: logs: expected a mapping, got a list")]),
        Case("mapping where a list is expected", mirakl("  products:\n    filter:\n      families: {shoes: true}\n"),
             [at(11, 17, "error: products.filter.families: expected a list, got a mapping")]),
        Case("string where a list is expected", mirakl("  products:\n    filter:\n      families: shoes\n"),
             [at(11, 17, "error: products.filter.families: expected a list, got a string")]),
        Case("string where an integer is expected", mirakl("  products:\n    export:\n      batchSize: lots\n"),
             [at(11, 18, "error: products.export.batchSize: expected an integer, got a string")]),
        Case("quoted number where an integer is expected", mirakl("  products:\n    export:\n      batchSize: \"500\"\n"),
             [at(11, 18, "error: products.export.batchSize: expected an integer, got a quoted string")]),
        Case("integer below its minimum", mirakl("  products:\n    export:\n      batchSize: 0\n"),
             [at(11, 18, "error: products.export.batchSize: 0 is below the minimum 1")]),
        Case("integer above its maximum", mirakl("  logs: {retainDays: 4000}\n"),
             [at(9, 22, "error: logs.retainDays: 4000 is above the maximum 3650")]),
        Case("bad channel type with did-you-mean", channel("mirakll"),
             [at(6, 9, #"error: type: "mirakll" is not one of mirakl, amazon-seller, flat-file, akeneo-api (did you mean "mirakl"?)"#)]),
        Case("bad status", mirakl("  status: enabled\n"),
             [at(9, 11, #"error: status: "enabled" is not one of active, inactive"#)]),
        Case("bad apiVersion and kind", """
            apiVersion: syndic/v2
            kind: Chanel
            metadata:
              name: mirakl_fr
            spec:
              type: mirakl
            """, [at(1, 13, #"error: apiVersion: "syndic/v2" is not one of syndic/v1 (did you mean "syndic/v1"?)"#),
                  at(2, 7, #"error: kind: "Chanel" is not one of Connection, Channel, Notification (did you mean "Channel"?)"#)]),
        Case("upper-case name", channel("flat-file", name: "Mirakl_FR"),
             [at(4, 9, #"error: metadata.name: "Mirakl_FR" does not match ^[a-z0-9_]+$"#),
              at(6, 9, "error: a flat-file channel needs products.export.storage (where the CSV goes)")]),
        Case("name with a dash", channel("flat-file", name: "mirakl-fr"),
             [at(4, 9, #"error: metadata.name: "mirakl-fr" does not match ^[a-z0-9_]+$"#),
              at(6, 9, "error: a flat-file channel needs products.export.storage (where the CSV goes)")]),
        Case("label key with a space", """
            apiVersion: syndic/v1
            kind: Connection
            metadata:
              name: outbox2
              labels: {"team name": emea}
            spec: {type: local, path: out}
            """, [at(5, 12, #"error: metadata.labels: key "team name" does not match ^[A-Za-z0-9_./-]+$"#)]),
        Case("bad enumeration inside a list", mirakl("""
              orders:
                export:
                  storage: {connection: partner_ftp}
                  statuses: [SHIPPED, SHIPED]

            """), [at(12, 27, #"error: orders.export.statuses[1]: "SHIPED" is not one of PENDING, WAITING_FOR_SHIPMENT, PARTIALLY_SHIPPED, SHIPPED, REFUSED, CANCELED, UNKNOWN (did you mean "SHIPPED"?)"#)]),
    ]

    @Test(arguments: schemaProblems)
    func schemaProblem(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    // MARK: - Missing keys

    static let missing: [Case] = [
        Case("no metadata", "apiVersion: syndic/v1\nkind: Channel\nspec:\n  type: flat-file\n",
             [at(1, 1, #"error: missing required key "metadata""#)]),
        Case("no apiVersion", "kind: Connection\nmetadata: {name: outbox2}\nspec: {type: local, path: out}\n",
             [at(1, 1, #"error: missing required key "apiVersion""#)]),
        Case("no kind", "apiVersion: syndic/v1\nmetadata: {name: outbox2}\nspec: {type: local, path: out}\n",
             [at(1, 1, #"error: missing required key "kind""#)]),
        Case("no name", "apiVersion: syndic/v1\nkind: Channel\nmetadata: {}\nspec:\n  type: flat-file\n",
             [at(3, 11, #"error: metadata: missing required key "name""#)]),
        Case("no spec type", "apiVersion: syndic/v1\nkind: Channel\nmetadata:\n  name: mirakl_fr\nspec:\n  status: active\n",
             [at(6, 3, #"error: missing required key "type""#)]),
        Case("empty spec", "apiVersion: syndic/v1\nkind: Channel\nmetadata:\n  name: mirakl_fr\nspec:\n",
             [at(5, 6, #"error: required key "spec" has no value"#)]),
        Case("order export without storage", mirakl("  orders:\n    export:\n      schedule: {every: 15m}\n"),
             [at(11, 7, #"error: orders.export: missing required key "storage""#)]),
        Case("local connection without path",
             "apiVersion: syndic/v1\nkind: Connection\nmetadata: {name: outbox2}\nspec: {type: local}\n",
             [at(4, 14, #"error: a local connection needs "path""#)]),
        Case("a document that is a list", "- apiVersion: syndic/v1\n- kind: Channel\n",
             [at(1, 1, "error: a resource must be a mapping with apiVersion, kind, metadata and spec")]),
    ]

    @Test(arguments: missing)
    func missingKey(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    // MARK: - Schedules and time zones

    static let schedules: [Case] = [
        Case("every 7m", mirakl("  products:\n    export:\n      schedule: {every: 7m}\n"),
             [at(11, 17, #"error: products.export.schedule: every "7m": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"#)]),
        Case("at 25:00", mirakl("  products:\n    export:\n      schedule: {at: \"25:00\"}\n"),
             [at(11, 17, #"error: products.export.schedule: at "25:00": expected HH:MM from 00:00 to 23:59"#)]),
        Case("days without at", mirakl("  products:\n    requirementsSync:\n      schedule: {days: [mon, thu]}\n"),
             [at(11, 17, #"error: products.requirementsSync.schedule: days can only be used with at, as in {at: "09:00", days: [mon, thu]}"#)]),
        Case("cron with 4 fields", mirakl("""
              orders:
                shipmentImport:
                  schedule: {cron: "0 * * *"}
                  storage: {connection: partner_ftp}

            """), [at(11, 17, "error: orders.shipmentImport.schedule: cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4")]),
        Case("every and at together", mirakl("""
              orders:
                export:
                  schedule: {every: 15m, at: "02:00"}
                  storage: {connection: partner_ftp}

            """), [at(11, 17, "error: orders.export.schedule: schedule needs exactly one of every, at or cron, got every and at")]),
        Case("unknown weekday", mirakl("  products:\n    export:\n      schedule: {at: \"09:00\", days: [mon, funday]}\n"),
             [at(11, 43, #"error: products.export.schedule.days[1]: "funday" is not one of mon, tue, wed, thu, fri, sat, sun"#)]),
        Case("empty schedule", mirakl("  products:\n    export:\n      schedule: {}\n"),
             [at(11, 17, "error: products.export.schedule: schedule needs one of every, at or cron")]),
        Case("time zone typo", mirakl("  timezone: Europe/Pariss\n"),
             [at(9, 13, #"error: unknown time zone "Europe/Pariss" (use an IANA name such as Europe/Paris)"#)]),
    ]

    @Test(arguments: schedules)
    func badSchedule(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    @Test func validSchedulesInAZoneAreAccepted() {
        let yaml = Self.mirakl("""
              timezone: Europe/Paris
              products:
                export:
                  schedule: {at: "09:00", days: [mon, thu]}
                requirementsSync:
                  schedule: {cron: "0 */6 * * *"}
              orders:
                retrieval: true
                export:
                  schedule: {every: 15m}
                  storage: {connection: partner_ftp, folder: /outgoing}

            """)
        #expect(TestConfig.render(yaml) == [])
    }

    // MARK: - Mapping expressions and filters

    @Test func badMappingExpressionsAreAllReported() {
        let yaml = Self.mirakl("""
              products:
                mapping:
                  title: name~fr_FR
                  price: price@eur
                  x: a~b~c~d
                  y: {attribute: brand, value: acme}
                  z: {field: identifier, locale: fr_FR}
                  w: description~fr~ecommerce
                  v: name~fr-FR

            """)
        #expect(TestConfig.render(yaml) == [
            Self.at(12, 14, #"error: products.mapping.price: "price@eur": after @ expected a currency code (EUR), currency or unit, got "eur""#),
            Self.at(13, 10, #"error: products.mapping.x: "a~b~c~d": at most code~locale~scope, got 4 parts"#),
            Self.at(14, 10, "error: products.mapping.y: the object form takes exactly one of field, attribute or value"),
            Self.at(15, 38, "error: products.mapping.z.locale applies only with attribute"),
            Self.at(16, 10, #"error: products.mapping.w: "description~fr~ecommerce": "fr" is not a locale like fr_FR"#),
            Self.at(17, 10, #"error: products.mapping.v: "name~fr-FR": "fr-FR" is neither a locale (fr_FR) nor a scope code"#),
        ])
    }

    /// `code~scope` is valid (a scopable, non-localizable attribute), so `name~fr` reads as the
    /// scope "fr", not as a locale.
    @Test func twoLetterSuffixIsReadAsAScope() throws {
        let validated = TestConfig.validate([(TestConfig.connectionsPath, TestConfig.connections),
                                              (Self.path, Self.mirakl("  products:\n    mapping:\n      title: name~fr\n"))])
        #expect(validated.diagnostics.isEmpty)
        let channel = try #require(validated.resources.first { $0.kind == .channel })
        #expect(try channel.channelSpec().products?.mapping?["title"] == .expression("name~fr"))
        #expect(try MappingExpression.parse("name~fr") == MappingExpression(attribute: "name", scope: "fr"))
    }

    @Test func badMappingObjectsAndFilterConditions() {
        let yaml = Self.mirakl("""
              products:
                mapping:
                  b: {attribute: price, currency: eur, unit: true}
                  c: {attribute: bad-code, locale: fr}
                filter:
                  attributes:
                    - {attribute: brand, operator: IN, value: acme}
                    - {attribute: x, operator: EMPTY, value: 1}
                    - {attribute: y, operator: BETWEEN, value: [1]}
                    - {attribute: z, operator: "="}
                    - {attribute: w, operator: LIKE, value: 1}

            """)
        #expect(TestConfig.render(yaml) == [
            Self.at(11, 10, "error: products.mapping.b: currency and unit exclude each other"),
            Self.at(11, 39, #"error: products.mapping.b.currency: expected a currency code (EUR) or "currency""#),
            Self.at(12, 22, #"error: products.mapping.c.attribute: "bad-code" is not an attribute code"#),
            Self.at(12, 40, #"error: products.mapping.c.locale: "fr" is not a locale like fr_FR"#),
            Self.at(15, 40, "error: products.filter.attributes[0]: IN takes a list value"),
            Self.at(16, 50, "error: products.filter.attributes[1]: EMPTY takes no value"),
            Self.at(17, 36, "error: products.filter.attributes[2]: BETWEEN takes a list of two values"),
            Self.at(18, 36, "error: products.filter.attributes[3]: = needs a single value"),
            Self.at(19, 36, #"error: products.filter.attributes[4].operator: "LIKE" is not one of =, !=, <, <=, >, >=, IN, NOT IN, EMPTY, NOT EMPTY, CONTAINS, DOES NOT CONTAIN, STARTS WITH, BETWEEN, NOT BETWEEN"#),
        ])
    }

    /// A mapping object whose one source is written but invalid gets one error, about that
    /// source, not a second one claiming no source is written.
    @Test func invalidFieldIsNotAlsoReportedAsMissing() {
        let yaml = Self.mirakl("  products:\n    mapping:\n      sku: {field: sku}\n")
        #expect(TestConfig.render(yaml) == [
            Self.at(11, 20, #"error: products.mapping.sku.field: "sku" is not one of uuid, identifier, family, parent, categories, groups, enabled, created, updated"#),
        ])
    }

    @Test func akeneoAPITargetsMustBeAttributeNames() {
        let yaml = Self.channel("akeneo-api", """
              endpoint: https://pim.target.example
              source: {connection: pim}
              products:
                mapping:
                  name-fr: name~fr_FR
                  description~fr_FR~ecommerce: description~fr_FR

            """)
        #expect(TestConfig.render(yaml) == [
            Self.at(11, 16, #"error: mapping target "name-fr": "name-fr" is not an attribute code (letters, digits, _); akeneo-api targets are named code~locale~scope"#),
        ])
    }

    // MARK: - Secrets

    @Test func inlineSecretIsAnErrorThatNeverEchoesTheValue() {
        let secret = "sk_live_51HxSECRETvalue"
        let rendered = TestConfig.render(Self.mirakl("  credentials:\n    apiKey: \(secret)\n"))
        #expect(rendered == [
            Self.at(10, 13, "error: credentials.apiKey is a secret and must not be written inline (use {env: NAME} or {file: PATH})"),
        ])
        #expect(!rendered.joined().contains(secret))
    }

    @Test func inlineConnectionPasswordNeverEchoesTheValue() {
        let yaml = """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp_ftp}
            spec:
              type: ftp
              host: ftp.erp.example
              username: {env: FTP_USER}
              password: "hunter2-secret"
            """
        let rendered = TestConfig.render(yaml, path: "channels/erp.yaml")
        #expect(rendered == [
            "channels/erp.yaml:8:13: error: password is a secret and must not be written inline (use {env: NAME} or {file: PATH})",
        ])
        #expect(!rendered.joined().contains("hunter2"))
    }

    static let secretForms: [Case] = [
        Case("unknown secret source", mirakl("  credentials:\n    apiKey: {vault: mirakl}\n"),
             [at(10, 13, "error: credentials.apiKey: a secret takes exactly one of {env: NAME} or {file: PATH}")]),
        Case("both env and file", mirakl("  credentials:\n    apiKey: {env: A, file: b}\n"),
             [at(10, 13, "error: credentials.apiKey: a secret takes exactly one of {env: NAME} or {file: PATH}")]),
        Case("bad environment variable name", mirakl("  credentials:\n    apiKey: {env: 1KEY}\n"),
             [at(10, 19, #"error: credentials.apiKey: "1KEY" is not a valid environment variable name"#)]),
        Case("empty secret file path", mirakl("  credentials:\n    apiKey: {file: \"\"}\n"),
             [at(10, 20, "error: credentials.apiKey: the secret file path is empty")]),
        Case("unset environment variable", mirakl("  credentials:\n    apiKey: {env: MIRAKL_DE_KEY}\n"),
             [at(10, 13, "error: credentials.apiKey: environment variable MIRAKL_DE_KEY is not set")]),
        Case("credential the channel type does not take", mirakl("  credentials:\n    apiKee: {env: MIRAKL_FR_KEY}\n"),
             [at(10, 13, #"error: credentials.apiKee does not apply to a mirakl channel (did you mean "apiKey"?)"#)]),
    ]

    @Test(arguments: secretForms)
    func secretForm(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    // MARK: - Channel rules and seed warnings

    static let channelRules: [Case] = [
        Case("delta export on an amazon-seller channel is a warning", channel("amazon-seller", name: "amazon_de", """
              source: {connection: pim}
              products:
                export: {delta: true}

            """), [at(9, 21, "warning: delta export is not recommended on Amazon channels: features such as A+ content can be lost when only changed products are sent; prefer full exports")]),
        Case("requirements sync outside mirakl is a warning", channel("amazon-seller", name: "amazon_de", """
              source: {connection: pim}
              products:
                requirementsSync:
                  schedule: {at: "01:00"}

            """), [at(10, 7, "warning: requirements sync is only available for mirakl channels")]),
        Case("flat-file without storage", channel("flat-file", name: "feed", "  source: {connection: pim}\n"),
             [at(6, 9, "error: a flat-file channel needs products.export.storage (where the CSV goes)")]),
        Case("flat-file with an endpoint", channel("flat-file", name: "feed", """
              endpoint: https://feed.example
              source: {connection: pim}
              products:
                export:
                  storage: {connection: outbox}

            """), [at(7, 13, "error: a flat-file channel has no endpoint; it writes to products.export.storage")]),
        Case("a shop id on a flat-file channel", channel("flat-file", name: "feed", """
              shopId: "2042"
              source: {connection: pim}
              products:
                export:
                  storage: {connection: outbox}

            """), [at(7, 11, "error: shopId applies to mirakl channels only")]),
        Case("orders on a flat-file channel", channel("flat-file", name: "feed", """
              source: {connection: pim}
              products:
                export:
                  storage: {connection: outbox}
              orders:
                retrieval: true

            """), [at(12, 5, "error: orders apply to marketplace channels (mirakl, amazon-seller), not flat-file")]),
        Case("storage on a marketplace channel", mirakl("  products:\n    export:\n      storage: {connection: outbox}\n"),
             [at(11, 16, "error: products.export.storage applies to flat-file channels only")]),
        Case("active mirakl without credentials.apiKey", mirakl("  status: active\n"),
             [at(9, 11, "error: an active mirakl channel needs credentials.apiKey")]),
        Case("active amazon-seller lists every missing credential", channel("amazon-seller", name: "amazon_de", """
              status: active
              credentials: {clientId: {env: MIRAKL_FR_KEY}}

            """), [at(7, 11, "error: an active amazon-seller channel needs credentials.clientSecret"),
                   at(7, 11, "error: an active amazon-seller channel needs credentials.refreshToken")]),
        Case("mirakl without endpoint", channel("mirakl"),
             [at(6, 9, "error: a mirakl channel needs an endpoint (the API base URL)")]),
        Case("endpoint that is not http", channel("mirakl", "  endpoint: ftp://mirakl.example\n"),
             [at(7, 13, "error: endpoint is not an http(s) URL")]),
        Case("endpoint with credentials", channel("mirakl", "  endpoint: https://shop:pa55word@mirakl.example\n"),
             [at(7, 13, "error: endpoint must not carry credentials; use the secret fields")]),
        Case("mapping without a source", channel("mirakl", """
              endpoint: https://mirakl.example
              products:
                mapping: {title: name~fr_FR}

            """), [at(9, 5, "error: products are exported from a source: add source.connection")]),
        Case("yes for a boolean", mirakl("  orders:\n    retrieval: yes\n"),
             [at(10, 16, "error: orders.retrieval: expected true or false, got yes (write true or false)")]),
        Case("accept on an amazon channel", channel("amazon-seller", name: "amazon_de", """
              endpoint: https://sellingpartnerapi-eu.amazon.com
              marketplaceId: A1PA6795UKMFR9
              orders:
                accept: true

            """), [at(10, 13, "error: accept applies to mirakl channels: Amazon orders need no acceptance")]),
        Case("carrier with both code and name, and url with code", mirakl("""
              orders:
                carriers:
                  UP: {code: UPS, name: United Parcel}
                  DH: {code: DHL, url: "https://track.example.com"}
                  CO: {name: Coursier, url: "https://track.example.com"}
                  LP: LAPOSTE

            """), [at(11, 11, "error: carrier UP takes either code (the marketplace's carrier code) or name (a carrier it does not know)"),
                   at(12, 28, "error: url goes with name: a known carrier's tracking page is the marketplace's")]),
        Case("off for a boolean", mirakl("  logs:\n    minimal: off\n"),
             [at(10, 14, "error: logs.minimal: expected true or false, got off (write true or false)")]),
    ]

    @Test(arguments: channelRules)
    func channelRule(_ example: Case) {
        #expect(TestConfig.render(example.yaml) == example.expected)
    }

    @Test func activeMiraklWithCredentialsIsValid() {
        let yaml = Self.mirakl("  status: active\n  credentials: {apiKey: {env: MIRAKL_FR_KEY}}\n")
        #expect(TestConfig.render(yaml) == [])
    }

    @Test func warningsAloneAreNotErrors() {
        let validated = TestConfig.validate([(TestConfig.connectionsPath, TestConfig.connections),
                                             (Self.path, Self.channel("amazon-seller", name: "amazon_de",
                                                                 "  source: {connection: pim}\n  products:\n    export: {delta: true}\n"))])
        #expect(!validated.hasErrors)
        #expect(validated.warnings.count == 1)
        #expect(validated.resources.map(\.address) == ["connection.pim", "connection.outbox", "connection.partner_ftp",
                                                       "channel.amazon_de"])
    }

    // MARK: - Connections

    static let connectionRules: [Case] = [
        Case("ftp without password", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp_ftp}
            spec:
              type: ftp
              host: ftp.erp.example
              username: {env: FTP_USER}
            """, [at(5, 9, #"error: an ftp connection needs "password""#)]),
        Case("key that does not apply to the connection type", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: outbox2}
            spec: {type: local, path: out, host: ftp.example}
            """, [at(4, 38, #"error: "host" does not apply to a local connection (local takes path)"#)]),
        Case("port out of range", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp_ftp}
            spec: {type: sftp, host: sftp.example, port: 70000, username: {env: FTP_USER}, privateKey: {file: id_ed25519}}
            """, [at(4, 14, noHostKey("sftp.example")), at(4, 46, "error: port: 70000 is above the maximum 65535")]),
        Case("sftp without password or key", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: erp_sftp}
            spec: {type: sftp, host: sftp.example, username: {env: FTP_USER}}
            """, [at(4, 14, #"error: an sftp connection needs "password" or "privateKey""#), at(4, 14, noHostKey("sftp.example"))]),
        Case("sftp without hostKey is a warning", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: partner_sftp}
            spec:
              type: sftp
              host: sftp.partner.example
              port: 2222
              username: {env: FTP_USER}
              privateKey: {file: id_ed25519}
            """, [at(5, 9, noHostKey("sftp.partner.example", port: 2222))]),
        Case("sftp with hostKey", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: partner_sftp}
            spec:
              type: sftp
              host: sftp.partner.example
              username: {env: FTP_USER}
              privateKey: {file: id_ed25519}
              hostKey: "SHA256:auSvSZlrlym/ZXLt4N1vxWkIgyhL7W17k3uXIKq3JhQ"
            """, []),
        Case("akeneo url with credentials", """
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: akeneo}
            spec:
              type: akeneo
              url: https://admin:admin@pim.example
              clientId: {env: FTP_USER}
              secret: {env: FTP_USER}
              username: {env: FTP_USER}
              password: {env: FTP_PASSWORD}
            """, [at(6, 8, "error: url must not carry credentials; use the secret fields")]),
    ]

    /// The warning of an sftp connection without `hostKey`.
    static func noHostKey(_ host: String, port: Int? = nil) -> String {
        let scan: String = "ssh-keyscan " + (port.map { "-p \($0) " } ?? "") + host + " | ssh-keygen -lf -"
        return "warning: without hostKey, the server's identity is not checked: whatever answers for \(host) gets the "
            + "login and the files (set hostKey to the server's SHA-256 fingerprint: ask the partner, or run `\(scan)` "
            + "from a network you trust)"
    }

    @Test(arguments: connectionRules)
    func connectionRule(_ example: Case) {
        #expect(TestConfig.render(example.yaml, path: Self.path) == example.expected)
    }

    // MARK: - Whole files

    @Test func everyProblemOfAFileIsReported() {
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: mirakl_fr
            spec:
              type: mirakl
              stauts: active
              timezone: Mars/Olympus
              source: {connection: pim}
              products:
                mapping: {price: price@eur}
                export:
                  schedule: {every: 7m}
                  delta: yes
                  batchSize: 0
            """
        #expect(TestConfig.render(yaml) == [
            Self.at(6, 9, "error: a mirakl channel needs an endpoint (the API base URL)"),
            Self.at(7, 3, #"error: unknown key "stauts" (did you mean "status"?)"#),
            Self.at(8, 13, #"error: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Paris)"#),
            Self.at(11, 22, #"error: products.mapping.price: "price@eur": after @ expected a currency code (EUR), currency or unit, got "eur""#),
            Self.at(13, 17, #"error: products.export.schedule: every "7m": minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)"#),
            Self.at(14, 14, "error: products.export.delta: expected true or false, got yes (write true or false)"),
            Self.at(15, 18, "error: products.export.batchSize: 0 is below the minimum 1"),
        ])
    }

    /// A bad name must not hide the spec's own problems: validation lists every problem.
    @Test func aBadNameDoesNotHideTheSpecProblems() {
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: Mirakl-FR
            spec:
              type: mirakl
              endpoint: https://mirakl.example/api
              timezone: Mars/Olympus
              products:
                export:
                  schedule: {at: "25:00"}
            """
        #expect(TestConfig.render(yaml) == [
            Self.at(4, 9, #"error: metadata.name: "Mirakl-FR" does not match ^[a-z0-9_]+$"#),
            Self.at(8, 13, #"error: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Paris)"#),
            Self.at(10, 5, "error: products are exported from a source: add source.connection"),
            Self.at(11, 17, #"error: products.export.schedule: at "25:00": expected HH:MM from 00:00 to 23:59"#),
        ])
    }

    @Test func multiDocumentFileCompilesEveryDocumentWithItsOwnLines() throws {
        let yaml = """
            # connections and a channel in one file
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: catalog}
            spec: {type: catalog-file, path: products.jsonl}
            ---
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: amazon_de
            spec:
              type: amazon-seller
              source: {connection: catalog}
              stauts: active
            ---
            ---
            apiVersion: syndic/v1
            kind: Connection
            metadata: {name: drop}
            spec: {type: local, path: drop}
            """
        let file = TestConfig.compile(yaml, path: "channels/amazon.yaml")
        #expect(file.resources.map(\.address) == ["connection.catalog", "channel.amazon_de", "connection.drop"])
        #expect(file.resources.map(\.location?.line) == [2, 7, 17])
        #expect(file.resources.map(\.nameLocation?.description) == [
            "channels/amazon.yaml:4:18", "channels/amazon.yaml:10:9", "channels/amazon.yaml:19:18",
        ])
        #expect(file.diagnostics.map(\.description) == [
            #"channels/amazon.yaml:14:3: error: unknown key "stauts" (did you mean "status"?)"#,
        ])
        let channel = try #require(file.resources.first { $0.kind == .channel })
        #expect(channel.references == [ResourceReference(
            kind: .connection, name: "catalog", path: "source.connection", allowedTypes: ["akeneo", "catalog-file"],
            location: SourceLocation(file: "channels/amazon.yaml", line: 13, column: 24))])
    }

    @Test(arguments: ["", "# nothing here\n", "---\n# only a comment\n", "---\n---\n"])
    func emptyFilesCompileToNothing(_ text: String) {
        let file = TestConfig.compile(text)
        #expect(file.resources.isEmpty)
        #expect(file.diagnostics.isEmpty)
        #expect(file.digest == Hashing.sha256Hex(text))
        #expect(file.relativePath == "mirakl_fr.yaml")
    }

    @Test func duplicateYAMLKeyIsReportedInItsMapping() throws {
        let file = TestConfig.compile(Self.channel("mirakl", "  type: flat-file\n"))
        let diagnostic = try #require(file.diagnostics.first)
        #expect(file.diagnostics.count == 1)
        #expect(diagnostic.message == #"duplicate key "type" in a mapping"#)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.file == Self.path)
        #expect(file.resources.isEmpty)
    }

    /// Aliases are expanded as in any YAML tool; the expanded value is checked where it lands.
    @Test func aliasedValuesAreCheckedWhereTheyLand() {
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: mirakl_fr
            spec:
              type: mirakl
              endpoint: &home https://mirakl.example/api
              source: {connection: pim}
              products:
                mapping: {title: *home}
            """
        let rendered = TestConfig.render(yaml)
        #expect(rendered.contains { $0.contains("products.mapping.title: \"https://mirakl.example/api\"") }, "got \(rendered)")
    }

    @Test func aliasedSpecIsExpanded() throws {
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: mirakl_fr}
            spec: &shared
              type: mirakl
              endpoint: https://mirakl.example/api
            ---
            apiVersion: syndic/v1
            kind: Channel
            metadata: {name: mirakl_de}
            spec: *shared
            """
        let validated = TestConfig.validate([(Self.path, yaml)])
        #expect(!validated.hasErrors, "\(validated.diagnostics)")
        #expect(validated.resources.map(\.address) == ["channel.mirakl_fr", "channel.mirakl_de"])
        #expect(validated.resources[0].specJSON == validated.resources[1].specJSON)
    }

    // MARK: - Canonical form

    @Test func validChannelCompilesToItsCanonicalSpec() throws {
        let yaml = """
            apiVersion: syndic/v1
            kind: Channel
            metadata:
              name: mirakl_fr
              labels: {team: emea, tier: "1"}
            spec:
              type: mirakl
              status: inactive
              timezone: Europe/Paris
              endpoint: https://mirakl.example/api
              credentials: {apiKey: {env: MIRAKL_FR_KEY}}
              source: {connection: pim, scope: ecommerce, locales: [fr_FR]}
              products:
                filter:
                  enabled: true
                  families: [shoes]
                  categories: {in: [summer], notIn: [archived]}
                  completeness: {scope: ecommerce, min: 100}
                  attributes: [{attribute: brand, operator: IN, value: [acme, 42, 1.5, true]}]
                mapping:
                  title: name~fr_FR
                  price: price@EUR
                  categories: {field: categories}
                  brand: {attribute: brand, default: "unbranded"}
                export:
                  schedule: {at: "02:30"}
                  delta: false
                  batchSize: 500
              orders:
                retrieval: true
                export:
                  schedule: {every: 15m}
                  storage: {connection: partner_ftp, folder: /outgoing/orders}
                  statuses: [WAITING_FOR_SHIPMENT]
                  splitBy: [fulfillment, country]
              logs: {minimal: false, retainDays: 30}
            """
        let validated = TestConfig.validate([(TestConfig.connectionsPath, TestConfig.connections), (Self.path, yaml)])
        #expect(validated.diagnostics.isEmpty)
        let channel = try #require(validated.resources.first { $0.address == "channel.mirakl_fr" })
        #expect(channel.specJSON == #"""
            {"credentials":{"apiKey":{"env":"MIRAKL_FR_KEY"}},"endpoint":"https://mirakl.example/api","logs":{"minimal":false,"retainDays":30},"orders":{"export":{"schedule":{"every":"15m"},"splitBy":["fulfillment","country"],"statuses":["WAITING_FOR_SHIPMENT"],"storage":{"connection":"partner_ftp","folder":"/outgoing/orders"}},"retrieval":true},"products":{"export":{"batchSize":500,"delta":false,"schedule":{"at":"02:30"}},"filter":{"attributes":[{"attribute":"brand","operator":"IN","value":["acme",42,1.5,true]}],"categories":{"in":["summer"],"notIn":["archived"]},"completeness":{"min":100,"scope":"ecommerce"},"enabled":true,"families":["shoes"]},"mapping":{"brand":{"attribute":"brand","default":"unbranded"},"categories":{"field":"categories"},"price":"price@EUR","title":"name~fr_FR"},"mappingOrder":["title","price","categories","brand"]},"source":{"connection":"pim","locales":["fr_FR"],"scope":"ecommerce"},"status":"inactive","timezone":"Europe/Paris","type":"mirakl"}
            """#)
        #expect(channel.labelsJSON == #"{"team":"emea","tier":"1"}"#)
        #expect(channel.type == "mirakl")
        #expect(channel.file == Self.path)
        #expect(channel.location == SourceLocation(file: Self.path, line: 1, column: 1))
        #expect(channel.secrets == [SecretField(path: "credentials.apiKey", reference: .env("MIRAKL_FR_KEY"),
                                                location: SourceLocation(file: Self.path, line: 11, column: 25))])
        #expect(channel.references.map { "\($0.path) -> \($0.name)" } == [
            "source.connection -> pim", "orders.export.storage.connection -> partner_ftp",
        ])
        #expect(channel.location(of: "products.export.schedule") == SourceLocation(file: Self.path, line: 26, column: 17))
        #expect(channel.location(of: "no.such.path") == channel.location)

        let spec = try channel.channelSpec()
        #expect(spec.isActive == false)
        #expect(spec.timeZoneIdentifier == "Europe/Paris")
        #expect(spec.credentials == ["apiKey": .env("MIRAKL_FR_KEY")])
        #expect(spec.products?.mapping?["categories"] == .object(MappingObject(field: "categories")))
        #expect(spec.orders?.export?.storage == ChannelSpec.Storage(connection: "partner_ftp", folder: "/outgoing/orders"))
    }

    @Test func keyOrderAndFlowStyleDoNotChangeTheCanonicalSpec() throws {
        let block = Self.mirakl("  timezone: Europe/Paris\n  orders:\n    retrieval: true\n")
        let flow = """
            kind: Channel
            apiVersion: syndic/v1
            metadata: {name: mirakl_fr}
            spec: {orders: {retrieval: true}, source: {connection: pim}, timezone: Europe/Paris,
                   endpoint: "https://mirakl.example/api", type: mirakl}
            """
        let first = try #require(TestConfig.compile(block).resources.first)
        let second = try #require(TestConfig.compile(flow).resources.first)
        #expect(first.specJSON == second.specJSON)
        #expect(first.specJSON == #"{"endpoint":"https://mirakl.example/api","orders":{"retrieval":true},"source":{"connection":"pim"},"timezone":"Europe/Paris","type":"mirakl"}"#)
    }
}

extension MappingObject {
    init(field: String? = nil, attribute: String? = nil) {
        self.init(field: field, attribute: attribute, locale: nil, scope: nil, currency: nil, unit: nil, value: nil,
                  default: nil, required: nil)
    }
}
