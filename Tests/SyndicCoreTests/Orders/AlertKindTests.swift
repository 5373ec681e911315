import Testing
@testable import SyndicCore

/// The alert a run raises when it fails for good.
@Suite struct AlertKindTests {
    @Test(arguments: [
        (JobKind.orderRetrieval as JobKind?, nil as String?, AlertKind.retrievalFailed),
        (.orderRetrieval, "connectivity", .retrievalFailed),
        (.confirmationPush, nil, .pushFailed),
        (.confirmationPush, "remote", .pushFailed),
        (.orderExport, nil, .ftpFailed),
        (.shipmentImport, "connectivity", .ftpFailed),
        (.productExport, nil, .exportFailed),
        (.productExport, "connectivity", .connectivityFailed),
        (.requirementsSync, "remote", .exportFailed),
        (.requirementsSync, "connectivity", .connectivityFailed),
        (nil, nil, .exportFailed),
        (nil, "connectivity", .connectivityFailed),
        // Refused credentials win over the job.
        (.orderRetrieval, "authentication", .authenticationFailed),
        (.confirmationPush, "authentication", .authenticationFailed),
        (.orderExport, "authentication", .authenticationFailed),
        (.productExport, "authentication", .authenticationFailed),
        (nil, "authentication", .authenticationFailed),
    ])
    func failedRunMapsJobAndCategory(_ job: JobKind?, _ category: String?, _ expected: AlertKind) {
        #expect(AlertKind.failedRun(job: job, category: category) == expected)
    }

    @Test func theKindsAreTheNotificationEvents() {
        #expect(AlertKind.allCases.map(\.rawValue) == [
            "retrieval-failed", "push-failed", "ftp-failed", "authentication-failed", "cancellation-requested",
            "connectivity-failed", "export-failed", "restricted-role-missing", "drift", "apply-failed", "export-held",
        ])
    }
}
