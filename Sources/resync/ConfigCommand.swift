import ArgumentParser
import Foundation
import Web

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate and print the effective configuration, secrets masked.")

        func run() async throws {
            let config = try await loadConfigOrExit()
            config.redactedLines.forEach { print($0) }
        }
    }
}
