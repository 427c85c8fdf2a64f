import Foundation
import Hummingbird
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing
import Web

/// `resync ask` against a server whose `/api/ask` needs a login: the admin API token is its login.
@Suite("resync ask with the admin API token")
struct RemoteAskTokenTests {
    static let token = "ask-token-0123456789abcdef0123456789abcdef"

    @Test func askSendsTheTokenAndIsRefusedWithoutIt() async throws {
        try await WebHarness.with(environment: ["RESYNC_API_TOKEN": Self.token]) { harness in
            let app = Application(
                router: ResyncApplication.buildRouter(harness.dependencies),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: harness.dependencies.logger)
            try await app.test(.live) { client in
                let server = "http://127.0.0.1:\(try #require(client.port))"
                let answer = try await RemoteAsk.ask(
                    server: server, question: "status PAYROLL_FINAL", language: .english,
                    apiToken: Secret(Self.token))
                #expect(answer.question == "status PAYROLL_FINAL")
                // Each refusal says which variable to set, not whether the server runs (it just answered).
                let withoutToken = await #expect(throws: RemoteAsk.Failure.self) {
                    _ = try await RemoteAsk.ask(server: server, question: "status PAYROLL_FINAL", language: .english)
                }
                #expect(
                    withoutToken?.description
                        == "the Resync server needs a login: set RESYNC_API_TOKEN (environment or .env) to the "
                        + "server's API token")
                let wrongToken = await #expect(throws: RemoteAsk.Failure.self) {
                    _ = try await RemoteAsk.ask(
                        server: server, question: "status PAYROLL_FINAL", language: .english,
                        apiToken: Secret("wrong-\(Self.token)"))
                }
                #expect(
                    wrongToken?.description
                        == "the Resync server refused the token: RESYNC_API_TOKEN here must be the same as the server's"
                )
                #expect(wrongToken?.description.contains(Self.token) == false)
            }
        }
    }
}
