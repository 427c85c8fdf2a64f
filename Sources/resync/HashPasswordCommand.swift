import ArgumentParser
import Foundation
import HummingbirdBcrypt

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
