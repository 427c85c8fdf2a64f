import ArgumentParser

@main
struct Resync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resync",
        abstract: "Chat-ops assistant for HCL Workload Automation: live job status plus what the team knows.",
        subcommands: [
            Serve.self, Ask.self, KnowledgeBase.self, Audit.self, MockHWA.self, ConfigCommand.self,
            HashPassword.self,
        ],
        defaultSubcommand: Serve.self
    )
}
