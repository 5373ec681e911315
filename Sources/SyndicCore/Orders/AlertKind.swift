/// The events a Notification resource can take.
public enum AlertKind: String, CaseIterable, Codable, Hashable, Sendable {
    /// Order retrieval from a marketplace failed.
    case retrievalFailed = "retrieval-failed"
    /// A shipment confirmation could not be sent to the marketplace.
    case pushFailed = "push-failed"
    /// An FTP order export or shipment import failed.
    case ftpFailed = "ftp-failed"
    /// A remote refused the credentials (they are marked invalid too).
    case authenticationFailed = "authentication-failed"
    /// The marketplace or the buyer asked to cancel (part of) an order.
    case cancellationRequested = "cancellation-requested"
    /// A remote could not be reached.
    case connectivityFailed = "connectivity-failed"
    /// A product export or requirements sync failed.
    case exportFailed = "export-failed"
    /// The marketplace withholds buyer data (name, street, phone, email) because the
    /// application lacks a restricted role; orders are stored without them.
    case restrictedRoleMissing = "restricted-role-missing"
    /// `reconcile --watch` found the state changed outside the configuration (an apply from
    /// another checkout, an edit of the state) or a channel suspended.
    case drift
    /// A `reconcile --watch` cycle could not apply the configuration (invalid files, a
    /// refused apply).
    case applyFailed = "apply-failed"
    /// A product export was held by the channel's export guard (it would have sent far fewer
    /// products than the last successful export, or too many were invalid or skipped):
    /// nothing was sent.
    case exportHeld = "export-held"

    /// The alert a run of `job` raises when it fails for good, from what failed
    /// (`category`: a flow error kind such as `authentication` or `connectivity`).
    public static func failedRun(job: JobKind?, category: String?) -> AlertKind {
        if category == "authentication" { return .authenticationFailed }
        switch job {
        case .orderRetrieval: return .retrievalFailed
        case .confirmationPush: return .pushFailed
        case .orderExport, .shipmentImport: return .ftpFailed
        case .productExport, .requirementsSync, nil:
            return category == "connectivity" ? .connectivityFailed : .exportFailed
        }
    }
}
