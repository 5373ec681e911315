import Foundation
import SyndicCore

/// Reads secret values from the environment or from files, at the moment they are needed.
/// Values never leave this type except as bytes handed to a fingerprint or a connector.
public struct SecretResolver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Why a secret cannot be read, naming its source only.
    public struct Unresolvable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The secret's bytes. `{file: PATH}` is relative to the file that names it.
    public func value(of reference: SecretReference, declaredIn file: String) throws -> [UInt8] {
        switch reference {
        case .env(let name):
            guard let value = environment[name] else {
                throw Unresolvable(description: "environment variable \(name) is not set")
            }
            guard !value.isEmpty else { throw Unresolvable(description: "environment variable \(name) is empty") }
            return Array(value.utf8)
        case .file(let path):
            let resolved = resolve(path, relativeTo: file)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw Unresolvable(description: "secret file \(path) cannot be read (\(resolved))")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0a || last == 0x0d { bytes.removeLast() }
            guard !bytes.isEmpty else { throw Unresolvable(description: "secret file \(path) is empty") }
            return bytes
        }
    }

    /// A probe for `ConfigValidator`: the problem with a secret, or nil.
    public var probe: ConfigValidator.SecretProbe {
        { [self] secret, resource in
            do {
                _ = try value(of: secret.reference, declaredIn: resource.file)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    /// The salted fingerprints of every secret of every resource.
    public func fingerprints(of resources: [CompiledResource], salt: [UInt8]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for resource in resources {
            let prints = fingerprints(of: resource, as: resource.address, salt: salt)
            if !prints.isEmpty { result[resource.address] = prints }
        }
        return result
    }

    /// The fingerprints of every former address of the resources (`metadata.formerNames`):
    /// former address -> key path -> fingerprint, to compare a renamed resource's stored ones with.
    public func formerFingerprints(of resources: [CompiledResource], salt: [UInt8]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for resource in resources where !resource.secrets.isEmpty {
            for former in resource.formerNames {
                let address = Address.of(resource.kind, former.name)
                result[address] = fingerprints(of: resource, as: address, salt: salt)
            }
        }
        return result
    }

    /// Key path -> fingerprint of each readable secret of `resource`, salted for `address`.
    private func fingerprints(of resource: CompiledResource, as address: String, salt: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        for secret in resource.secrets {
            guard let bytes = try? value(of: secret.reference, declaredIn: resource.file) else { continue }
            result[secret.path] = Fingerprint.of(value: bytes, address: address, path: secret.path, salt: salt)
        }
        return result
    }

    /// `path` resolved against the directory of `file` unless absolute.
    public func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : "\(directory)/\(path)"
    }
}
