import SyndicEngine

extension JobRegistry {
    /// The flows this build ships: product export and requirements sync (the order flows
    /// register here as they land). Workers claim only these kinds.
    public static let shipped = JobRegistry([ProductExportJob(), RequirementsSyncJob()])
}
