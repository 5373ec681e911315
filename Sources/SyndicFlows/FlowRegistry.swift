import SyndicEngine

extension JobRegistry {
    /// The flows this build ships: product export, requirements sync and the order flows.
    /// Workers claim only these kinds.
    public static let shipped = JobRegistry([
        ProductExportJob(), RequirementsSyncJob(), OrderRetrievalJob(), OrderExportJob(), ShipmentImportJob(),
        ConfirmationPushJob(),
    ])
}
