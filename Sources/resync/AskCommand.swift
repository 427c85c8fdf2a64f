import ArgumentParser

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a question and print the answer.")

    @Argument(help: "The question, in Portuguese or English.")
    var question: String

    func run() async throws {
        try notAvailableYet("`resync ask`")
    }
}
