import Foundation
import SyndicCore
import SyndicEngine
import SyndicTransfer

/// Turns the applied resources a job sees into what connectors take: file paths resolved
/// against the file that names them, secrets read at the moment they are needed, storage
/// locations with their credentials.
struct FlowInputs {
    /// The channel the flow runs for.
    let channel: AppliedResource
    /// The connections, by name.
    let connections: [String: AppliedResource]
    /// Where relative file names of resources start.
    let baseDirectory: String
    /// Where the flow keeps files (dry runs).
    let workDirectory: URL
    /// The run's scratch folder (temporary files, private keys): removed when the run ends.
    let scratchDirectory: URL
    let secrets: SecretResolver
    /// Raised when the run must stop; blocking work checks it between units of work.
    let cancellation: CancellationFlag
    /// The credentials remotes accepted during the run.
    let credentialUse = CredentialUse()

    init(channel: AppliedResource, connections: [String: AppliedResource], baseDirectory: String, workDirectory: URL,
         scratchDirectory: URL? = nil, cancellation: CancellationFlag = CancellationFlag(),
         secrets: SecretResolver = SecretResolver()) {
        self.scratchDirectory = scratchDirectory ?? workDirectory.appendingPathComponent("scratch")
        self.channel = channel
        self.connections = connections
        self.baseDirectory = baseDirectory
        self.workDirectory = workDirectory
        self.cancellation = cancellation
        self.secrets = secrets
    }

    /// The inputs of a job's run.
    init(_ context: JobContext, cancellation: CancellationFlag = CancellationFlag()) {
        self.init(channel: context.channel, connections: context.connections, baseDirectory: context.baseDirectory,
                  workDirectory: context.workDirectory, scratchDirectory: context.scratchDirectory,
                  cancellation: cancellation)
    }

    /// `path` as named in `resource`'s file: relative to that file, which is relative to the
    /// directory apply ran in.
    func path(_ path: String, in resource: AppliedResource) -> String {
        URL(fileURLWithPath: secrets.resolve(path, relativeTo: file(of: resource))).standardizedFileURL.path
    }

    /// The absolute path of the file that declares `resource`.
    func file(of resource: AppliedResource) -> String {
        resource.sourceFile.hasPrefix("/") ? resource.sourceFile : baseDirectory + "/" + resource.sourceFile
    }

    /// The connection `name`, which must exist.
    func connection(_ name: String) throws -> (resource: AppliedResource, spec: ConnectionSpec) {
        guard let resource = connections[name] else {
            throw FlowError(.configuration, "connection \(name) is not in the state (apply the configuration first)")
        }
        do {
            return (resource, try ValueDecoding.decode(ConnectionSpec.self, fromJSON: resource.specJSON))
        } catch {
            throw FlowError(.configuration, "connection \(name) cannot be read from the state: \(error)")
        }
    }

    /// The text of a secret of `resource`.
    func secret(_ reference: SecretReference?, of resource: AppliedResource, field: String) throws -> String {
        guard let reference else { throw FlowError(.configuration, "\(resource.address) has no \(field)") }
        do {
            let bytes = try secrets.value(of: reference, declaredIn: file(of: resource))
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw FlowError(.configuration, "\(resource.address) \(field): \(error)")
        }
    }

    /// The storage a channel's `storage: {connection, folder}` points at, and the folder.
    func storage(_ storage: ChannelSpec.Storage) throws -> (location: StorageLocation, folder: String) {
        let (resource, spec) = try connection(storage.connection)
        let folder = storage.folder ?? ""
        switch spec.type {
        case .local:
            guard let directory = spec.path else { throw FlowError(.configuration, "\(resource.address) has no path") }
            return (.local(path(directory, in: resource)), folder)
        case .ftp: return (try server(.ftp, spec, of: resource), folder)
        case .ftps: return (try server(.ftps, spec, of: resource), folder)
        case .sftp: return (try server(.sftp, spec, of: resource), folder)
        case .akeneo, .catalogFile:
            throw FlowError(.configuration, "\(resource.address) is a \(spec.type.rawValue) connection, not storage (local, ftp, ftps, sftp)")
        }
    }

    /// The server of an ftp, ftps or sftp connection, with its credentials.
    private func server(_ kind: StorageLocation.Kind, _ spec: ConnectionSpec,
                        of resource: AppliedResource) throws -> StorageLocation {
        var location = StorageLocation(kind: kind, host: spec.host ?? "", port: spec.port)
        if spec.username != nil { location.username = try secret(spec.username, of: resource, field: "username") }
        if spec.password != nil { location.password = try secret(spec.password, of: resource, field: "password") }
        if let key = spec.privateKey {
            location.privateKeyPath = try privateKeyFile(key, of: resource)
        }
        if let caFile = spec.caFile { location.caCertificatePath = path(caFile, in: resource) }
        if let hostKey = spec.hostKey { location.hostKeySHA256 = hostKey }
        return location
    }

    /// A private key as a file libcurl can read: the file itself for `{file: PATH}`, else the
    /// key written to a private file in the run's scratch folder (removed when the run ends).
    private func privateKeyFile(_ reference: SecretReference, of resource: AppliedResource) throws -> String {
        if case .file(let file) = reference { return path(file, in: resource) }
        let text = try secret(reference, of: resource, field: "privateKey")
        let directory = scratchDirectory.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent(resource.name)
        FileManager.default.createFile(atPath: file.path, contents: Data((text + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
        return file.path
    }
}
