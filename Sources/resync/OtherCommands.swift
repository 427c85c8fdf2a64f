import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Web

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a question and print the answer.")

    @Argument(help: "The question, in Portuguese or English.")
    var question: String

    func run() async throws {
        try notAvailableYet("`resync ask`")
    }
}

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

struct MockHWA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-hwa", abstract: "Run the HWA REST API V2 simulator on its own.")

    func run() async throws {
        try notAvailableYet("`resync mock-hwa`")
    }
}

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

struct HashPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Read a password from standard input and print its bcrypt hash for RESYNC_ADMIN_PASSWORD_HASH.")

    func run() async throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            FileHandle.standardError.write(Data("resync: no password on standard input\n".utf8))
            throw ExitCode(2)
        }
        print(Bcrypt.hash(password, cost: 12))
    }
}
