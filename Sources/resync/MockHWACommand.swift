import ArgumentParser

struct MockHWA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-hwa", abstract: "Run the HWA REST API V2 simulator on its own.")

    func run() async throws {
        try notAvailableYet("`resync mock-hwa`")
    }
}
