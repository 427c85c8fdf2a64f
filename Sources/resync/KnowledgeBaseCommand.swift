import ArgumentParser

struct KnowledgeBase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Import and search the knowledge base.",
        subcommands: [Import.self, Search.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a .xlsx, .csv or folder of runbooks.")

        @Argument(help: "Path of the spreadsheet, CSV file or folder.")
        var path: String

        func run() async throws {
            try notAvailableYet("`resync kb import`")
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the knowledge base.")

        @Argument(help: "Text, job name or error code to look for.")
        var text: String

        func run() async throws {
            try notAvailableYet("`resync kb search`")
        }
    }
}
