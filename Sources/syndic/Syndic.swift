import ArgumentParser

/// The `syndic` command: a GitOps reconciler for product-data syndication.
@main
struct Syndic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syndic",
        abstract: "A GitOps reconciler for product-data syndication channels.",
        discussion: "Exit codes: 0 success, 1 error, 2 changes pending (plan --detailed-exitcode), 64 usage error.",
        version: "0.1.0",
        subcommands: [Validate.self, PlanCommand.self, Apply.self, Status.self, History.self, Suspend.self,
                      Resume.self, SchemaCommand.self, WorkerCommand.self, RunCommand.self, RunsCommand.self, OrdersCommand.self, ServeCommand.self, LoginLinkCommand.self, TokenCommand.self, PreviewCommand.self, DiffCommand.self,
                      ReconcileCommand.self, StateCommand.self])
}
