import Foundation

/// Checks of one resource that the schema alone cannot express: which keys a type
/// accepts, schedules, mapping expressions, time zones, and warnings about settings that
/// work but are unwise (such as delta exports on Amazon).
enum ResourceRules {
    /// Diagnostics for one freshly parsed resource.
    static func check(_ resource: CompiledResource, spec: Value) -> [Diagnostic] {
        var rules = Checker(resource: resource, spec: spec)
        switch resource.kind {
        case .connection: rules.checkConnection()
        case .channel: rules.checkChannel()
        case .notification: rules.checkNotification()
        }
        return rules.diagnostics
    }

    private struct Checker {
        let resource: CompiledResource
        let spec: Value
        var diagnostics: [Diagnostic] = []

        init(resource: CompiledResource, spec: Value) {
            self.resource = resource
            self.spec = spec
        }

        mutating func error(_ message: String, at path: String, hint: String? = nil) {
            diagnostics.append(.error(message, at: resource.location(of: path), hint: hint))
        }

        mutating func warning(_ message: String, at path: String, hint: String? = nil) {
            diagnostics.append(.warning(message, at: resource.location(of: path), hint: hint))
        }

        // MARK: - Connection

        mutating func checkConnection() {
            guard let type = ConnectionType(of: spec) else { return }
            let keys = ResourceSchemas.connectionKeys(of: type)
            for key in (spec.objectValue ?? [:]).keys.sorted() where key != "type" && !keys.allowed.contains(key) {
                error("\"\(key)\" does not apply to \(Article.a(type.rawValue)) connection", at: key,
                      hint: "\(type.rawValue) takes \(keys.allowed.joined(separator: ", "))")
            }
            // A key that is written but invalid was reported already.
            for key in keys.required where spec[key] == nil && resource.locations[key] == nil {
                error("\(Article.a(type.rawValue)) connection needs \"\(key)\"", at: "type")
            }
            if type == .sftp, spec["password"] == nil, spec["privateKey"] == nil,
               resource.locations["password"] == nil, resource.locations["privateKey"] == nil {
                error("an sftp connection needs \"password\" or \"privateKey\"", at: "type")
            }
            if type == .sftp, spec["hostKey"] == nil, resource.locations["hostKey"] == nil { warnWithoutHostKey() }
            if let url = spec["url"]?.stringValue { checkURL(url, at: "url") }
            if let path = spec["path"]?.stringValue, path.isEmpty { error("path must not be empty", at: "path") }
        }

        /// Without `hostKey` libcurl accepts whatever key the server shows: the login and the
        /// files go to anything that answers for the host.
        mutating func warnWithoutHostKey() {
            let host = spec["host"]?.stringValue ?? "HOST"
            let port: Int = spec["port"]?.intValue ?? 22
            let scan = "ssh-keyscan " + (port == 22 ? "" : "-p \(port) ") + "\(host) | ssh-keygen -lf -"
            warning("without hostKey, the server's identity is not checked: whatever answers for \(host) gets the "
                        + "login and the files", at: "type",
                    hint: "set hostKey to the server's SHA-256 fingerprint: ask the partner, or run `\(scan)` "
                        + "from a network you trust")
        }

        // MARK: - Notification

        mutating func checkNotification() {
            guard let type = spec["type"]?.stringValue, let keys = ResourceSchemas.notificationKeys[type] else { return }
            for key in (spec.objectValue ?? [:]).keys.sorted() where key != "type" && !keys.allowed.contains(key) {
                error("\"\(key)\" does not apply to \(Article.a(type)) notification", at: key,
                      hint: "\(type) takes \(keys.allowed.joined(separator: ", "))")
            }
            for key in keys.required where spec[key] == nil && resource.locations[key] == nil {
                error("\(Article.a(type)) notification needs \"\(key)\"", at: "type")
            }
            if let url = spec["url"]?.stringValue { checkURL(url, at: "url") }
            if let server = spec["server"]?.stringValue {
                let scheme = URL(string: server)?.scheme?.lowercased()
                if !["smtp", "smtps"].contains(scheme ?? "") || URL(string: server)?.host == nil {
                    error("server must be smtp://host[:port] or smtps://host[:port]", at: "server")
                }
            }
            for (index, address) in (spec["to"]?.listValue ?? []).enumerated() {
                if let text = address.stringValue, !Self.isEmailAddress(text) {
                    error("\"\(text)\" is not an email address", at: "to[\(index)]")
                }
            }
            if let from = spec["from"]?.stringValue, !Self.isEmailAddress(from) {
                error("\"\(from)\" is not an email address", at: "from")
            }
            if spec["to"]?.listValue?.isEmpty == true { error("to must name at least one address", at: "to") }
        }

        /// A plain `local@domain` address (no display name, no line breaks).
        static func isEmailAddress(_ text: String) -> Bool {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
                && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        }

        // MARK: - Channel

        mutating func checkChannel() {
            guard let type = ChannelType(of: spec) else { return }
            let active = spec["status"]?.stringValue == "active"
            if let zone = spec["timezone"]?.stringValue, TimeZone(identifier: zone) == nil {
                error("unknown time zone \"\(zone)\"", at: "timezone", hint: "use an IANA name such as Europe/Paris")
            }
            checkEndpoint(type: type)
            checkCredentials(type: type, active: active)
            checkProducts(type: type)
            checkOrders(type: type)
            for path in ChannelJobs.schedulePaths {
                guard let node = spec.value(at: path) else { continue }
                do {
                    _ = try ChannelJobs.parse(node)
                } catch {
                    self.error("\(path): \(error.message)", at: path)
                }
            }
        }

        mutating func checkEndpoint(type: ChannelType) {
            let endpoint = spec["endpoint"]?.stringValue
            if type.exportsToStorage, endpoint != nil {
                error("\(Article.a(type.rawValue)) channel has no endpoint; it writes to products.export.storage",
                      at: "endpoint")
            }
            if type.requiresEndpoint, endpoint == nil {
                error("\(Article.a(type.rawValue)) channel needs an endpoint (the API base URL)", at: "type")
            }
            if let endpoint { checkURL(endpoint, at: "endpoint") }
            if spec["shopId"] != nil, type != .mirakl {
                error("shopId applies to mirakl channels only", at: "shopId")
            }
            for key in ["marketplaceId", "tokenEndpoint"] where spec[key] != nil && type != .amazonSeller {
                error("\(key) applies to amazon-seller channels only", at: key)
            }
            if let token = spec["tokenEndpoint"]?.stringValue { checkURL(token, at: "tokenEndpoint") }
        }

        mutating func checkCredentials(type: ChannelType, active: Bool) {
            let expected = ResourceSchemas.channelCredentialKeys(of: type)
            let given = spec["credentials"]?.objectValue ?? [:]
            for key in given.keys.sorted() where !expected.contains(key) {
                let takes = expected.isEmpty ? "no credentials" : expected.joined(separator: ", ")
                error("credentials.\(key) does not apply to \(Article.a(type.rawValue)) channel", at: "credentials.\(key)",
                      hint: Suggestion.didYouMean(key, among: expected) ?? "\(type.rawValue) takes \(takes)")
            }
            if active {
                for key in expected where given[key] == nil && resource.locations["credentials.\(key)"] == nil {
                    error("an active \(type.rawValue) channel needs credentials.\(key)", at: "status")
                }
            }
        }

        mutating func checkProducts(type: ChannelType) {
            let products = spec["products"]
            if products?["mapping"] != nil || products?["export"] != nil, spec["source"] == nil {
                error("products are exported from a source: add source.connection", at: "products")
            }
            if type.exportsToStorage, products?.value(at: "export.storage") == nil {
                error("\(Article.a(type.rawValue)) channel needs products.export.storage (where the CSV goes)", at: "type")
            }
            if !type.exportsToStorage, products?.value(at: "export.storage") != nil {
                error("products.export.storage applies to flat-file channels only", at: "products.export.storage")
            }
            if type == .amazonSeller, products?.value(at: "export.delta")?.boolValue == true {
                warning("delta export is not recommended on Amazon channels: features such as A+ content can be "
                            + "lost when only changed products are sent; prefer full exports",
                        at: "products.export.delta")
            }
            if let separator = products?.value(at: "export.valueSeparator")?.stringValue, separator.isEmpty {
                error("products.export.valueSeparator must not be empty", at: "products.export.valueSeparator")
            }
            if products?["requirementsSync"] != nil, !type.syncsRequirements {
                warning("requirements sync is only available for mirakl channels", at: "products.requirementsSync")
            }
            for (target, value) in (products?["mapping"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                checkMapping(target: target, value: value, type: type)
            }
            for (index, condition) in (products?.value(at: "filter.attributes")?.listValue ?? []).enumerated() {
                checkCondition(condition, path: "products.filter.attributes[\(index)]")
            }
        }

        mutating func checkMapping(target: String, value: Value, type: ChannelType) {
            let path = "products.mapping.\(target)"
            if type == .akeneoAPI {
                do { _ = try MappingExpression.parse(target) } catch {
                    self.error("mapping target \(error.message); akeneo-api targets are named code~locale~scope",
                               at: path)
                }
            }
            switch value {
            case .string(let text):
                do { _ = try MappingExpression.parse(text) } catch { self.error("\(path): \(error.message)", at: path) }
            case .object(let object):
                // Keys as written: one dropped for a bad value was reported already.
                let sources = ["field", "attribute", "value"].filter {
                    object[$0] != nil || resource.locations["\(path).\($0)"] != nil
                }
                if sources.count != 1 {
                    error("\(path): the object form takes exactly one of field, attribute or value", at: path)
                }
                if sources.contains("attribute") == false {
                    for key in ["locale", "scope", "currency", "unit"] where object[key] != nil {
                        error("\(path).\(key) applies only with attribute", at: "\(path).\(key)")
                    }
                }
                if let attribute = object["attribute"]?.stringValue, !MappingExpression.isCode(attribute) {
                    error("\(path).attribute: \"\(attribute)\" is not an attribute code", at: "\(path).attribute")
                }
                if let locale = object["locale"]?.stringValue, !MappingExpression.isLocale(locale) {
                    error("\(path).locale: \"\(locale)\" is not a locale like fr_FR", at: "\(path).locale")
                }
                if let currency = object["currency"]?.stringValue, currency != "currency",
                   !(currency.count == 3 && currency.allSatisfy { $0.isASCII && $0.isUppercase }) {
                    error("\(path).currency: expected a currency code (EUR) or \"currency\"", at: "\(path).currency")
                }
                if object["currency"] != nil, object["unit"]?.boolValue == true {
                    error("\(path): currency and unit exclude each other", at: path)
                }
            default:
                error("\(path): expected an expression or an object", at: path)
            }
        }

        /// The operand rules of the filter engine itself, so validation and exports agree.
        mutating func checkCondition(_ condition: Value, path: String) {
            guard let op = condition["operator"]?.stringValue.flatMap(FilterOperator.init(rawValue:)),
                  let typed = try? ValueDecoding.decode(ProductFilter.AttributeCondition.self, from: condition) else {
                return
            }
            do {
                _ = try AttributeFilter(typed, path: path)
            } catch let problem {
                // An operator that takes no value is wrong at the value; the others at the operator.
                error(problem.message, at: op.operand == .none ? "\(path).value" : "\(path).operator")
            }
        }

        mutating func checkOrders(type: ChannelType) {
            guard spec["orders"] != nil else { return }
            if !type.takesOrders {
                error("orders apply to marketplace channels (mirakl, amazon-seller), not \(type.rawValue)", at: "orders")
            }
            let talksToMarketplace = spec.value(at: "orders.retrieval")?.boolValue == true
                || spec.value(at: "orders.confirmations")?.boolValue == true
            if type == .amazonSeller, talksToMarketplace, spec["marketplaceId"] == nil {
                error("amazon-seller channels that retrieve or confirm orders need marketplaceId (the SP-API marketplace id)",
                      at: "orders")
            }
            if type == .amazonSeller, talksToMarketplace, spec["endpoint"] == nil {
                error("order retrieval and confirmations call the SP-API: add endpoint (https://sellingpartnerapi-eu.amazon.com)", at: "orders")
            }
            if type == .amazonSeller, spec.value(at: "orders.accept")?.boolValue == true {
                error("accept applies to mirakl channels: Amazon orders need no acceptance", at: "orders.accept")
            }
            for (code, mapping) in (spec.value(at: "orders.carriers")?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let object = mapping.objectValue else { continue }
                let hasCode = object["code"]?.stringValue.map { !$0.isEmpty } ?? false
                let hasName = object["name"]?.stringValue.map { !$0.isEmpty } ?? false
                if hasCode == hasName {
                    error("carrier \(code) takes either code (the marketplace's carrier code) or name (a carrier it does not know)",
                          at: "orders.carriers.\(code)")
                }
                if let url = object["url"]?.stringValue {
                    if hasCode { error("url goes with name: a known carrier's tracking page is the marketplace's", at: "orders.carriers.\(code).url") }
                    checkURL(url, at: "orders.carriers.\(code).url")
                }
            }
        }

        mutating func checkURL(_ text: String, at path: String) {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  ["http", "https"].contains(scheme), url.host != nil else {
                // The text is not echoed: a mistyped URL may carry a password.
                error("\(path) is not an http(s) URL", at: path)
                return
            }
            if url.user != nil || url.password != nil {
                error("\(path) must not carry credentials; use the secret fields", at: path)
            }
        }
    }
}

/// English indefinite articles for type names in messages.
enum Article {
    /// "a mirakl", "an ftp", "an amazon-seller".
    static func a(_ word: String) -> String {
        let vowelSound = ["a", "e", "i", "o", "u"].contains(where: word.hasPrefix) || ["ftp", "ftps", "sftp"].contains(word)
        return (vowelSound ? "an " : "a ") + word
    }
}
