import ArgumentParser

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the memory auditor.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score memories once and apply the policy.")

        func run() async throws {
            try notAvailableYet("`resync audit run`")
        }
    }
}
