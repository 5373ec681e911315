import Foundation

/// Which resources a plan covers, as `--target`, `--exclude` and `--selector` give them.
///
/// A resource is picked when it is one of the targets (or there are none), its labels match
/// every selector, and it is not excluded. Targets and exclusions are addresses
/// (`channel.NAME`, `connection.NAME`, `notification.NAME`); a renamed resource answers to
/// its new and its former address. Selectors are label requirements as `kubectl -l` reads
/// them: `key=value` (or `key==value`), `key!=value`, `key` (the label is set) and `!key` (it is
/// not); one `--selector` may hold several, separated by commas, and all must hold.
public struct PlanSelection: Hashable, Sendable, Codable {
    public var targets: [String]
    public var excludes: [String]
    public var selectors: [String]

    public init(targets: [String] = [], excludes: [String] = [], selectors: [String] = []) {
        self.targets = targets
        self.excludes = excludes
        self.selectors = selectors
    }

    /// Whether the selection picks everything (no option given).
    public var isEverything: Bool { targets.isEmpty && excludes.isEmpty && selectors.isEmpty }

    /// How the selection reads on a command line: `--target channel.a --selector team=fr`.
    public var commandLine: String {
        (targets.map { "--target \($0)" } + excludes.map { "--exclude \($0)" } + selectors.map { "--selector \($0)" })
            .joined(separator: " ")
    }

    /// The parsed label requirements of every selector; throws on a malformed one.
    public func requirements() throws(SelectionError) -> [LabelRequirement] {
        var parsed: [LabelRequirement] = []
        for selector in selectors {
            for part in selector.split(separator: ",", omittingEmptySubsequences: false) {
                guard let requirement = LabelRequirement(String(part)) else {
                    throw SelectionError("--selector \(selector): \"\(part)\" is not a label requirement; "
                                         + "write key=value, key!=value, key or !key")
                }
                parsed.append(requirement)
            }
        }
        return parsed
    }

    /// Checks that every target and exclusion is a well-formed address; throws naming the first
    /// that is not.
    public func checkAddresses() throws(SelectionError) {
        for (option, address) in targets.map({ ("--target", $0) }) + excludes.map({ ("--exclude", $0) }) {
            guard let (_, name) = Address.parse(address), Pattern.resourceName.matches(name) else {
                throw SelectionError("\(option) \(address): not a resource address; write channel.NAME, "
                                     + "connection.NAME or notification.NAME")
            }
        }
    }
}

/// One label requirement of a selector.
public struct LabelRequirement: Hashable, Sendable {
    public enum Operation: Hashable, Sendable {
        case equals(String)
        case differs(String)
        case exists
        case absent
    }

    public var key: String
    public var operation: Operation

    /// Parses `key=value`, `key==value`, `key!=value`, `key` or `!key` (spaces around are ignored).
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        func validKey(_ key: Substring) -> String? {
            let key = key.trimmingCharacters(in: .whitespaces)
            return Pattern.labelKey.matches(key) && !key.isEmpty ? key : nil
        }
        if let range = text.range(of: "!=") {
            guard let key = validKey(text[..<range.lowerBound]) else { return nil }
            self.init(key: key, operation: .differs(text[range.upperBound...].trimmingCharacters(in: .whitespaces)))
        } else if let range = text.range(of: "==") ?? text.range(of: "=") {
            guard let key = validKey(text[..<range.lowerBound]) else { return nil }
            self.init(key: key, operation: .equals(text[range.upperBound...].trimmingCharacters(in: .whitespaces)))
        } else if text.hasPrefix("!") {
            guard let key = validKey(text.dropFirst()) else { return nil }
            self.init(key: key, operation: .absent)
        } else {
            guard let key = validKey(Substring(text)) else { return nil }
            self.init(key: key, operation: .exists)
        }
    }

    public init(key: String, operation: Operation) {
        self.key = key
        self.operation = operation
    }

    /// Whether labels satisfy the requirement (as in Kubernetes, `!=` holds when the label is unset).
    public func matches(_ labels: [String: String]) -> Bool {
        switch operation {
        case .equals(let value): return labels[key] == value
        case .differs(let value): return labels[key] != value
        case .exists: return labels[key] != nil
        case .absent: return labels[key] == nil
        }
    }
}

/// A selection that cannot be used: a malformed option, an unknown resource, or an exclusion
/// that leaves out what a picked change needs.
public struct SelectionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
