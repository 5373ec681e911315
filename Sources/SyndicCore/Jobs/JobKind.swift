/// The jobs a channel can run.
public enum JobKind: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case productExport = "product-export"
    case requirementsSync = "requirements-sync"
    case orderRetrieval = "order-retrieval"
    case confirmationPush = "confirmation-push"
    case orderExport = "order-export"
    case shipmentImport = "shipment-import"

    public static func < (lhs: JobKind, rhs: JobKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
