import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing
import Web

/// The chat core's crash-recovery behaviour for Mattermost: the process dies between accepting a command and
/// answering it; a new process on the same database answers it exactly once, even when Mattermost's request
/// is delivered again.
@Suite("Mattermost crash recovery through the app")
struct MattermostCrashRecoveryTests {
    @Test func commandAcceptedButNotAnsweredIsAnsweredOnceAfterRestart() async throws {
        let server = FakeMattermostServer()
        try await server.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { fake in
            let agent = FakeQuestionAnswering()
            let environment = [
                "MATTERMOST_URL": "http://127.0.0.1:\(try #require(fake.port))",
                "MATTERMOST_BOT_TOKEN": server.botToken,
                "MATTERMOST_SLASH_TOKEN": MattermostRequestTests.slashToken,
            ]
            var first = try await ChatAppHarness(environment: environment, answering: agent)
            // The first instance only takes requests: it "dies" before any answer is produced.
            first.options.runProcessor = false
            first.options.runOutboxWorker = false
            first.options.runMattermostListener = false
            try await first.withApp { client, chat in
                let (status, _) = try await MattermostAppTests.command(
                    client, "status PAYROLL_FINAL", trigger: "trigger-crash-1")
                #expect(status == .ok)
                let item = try await chat.inbound.item(id: "mattermost:command:trigger-crash-1")
                #expect(item?.status == .pending)
            }
            #expect(await server.state.botPosts.isEmpty)

            let second = try await ChatAppHarness(environment: environment, answering: agent, location: first.location)
            try await second.withApp { client, _ in
                // The same command delivered again reaches the new instance: still one answer.
                _ = try await MattermostAppTests.command(client, "status PAYROLL_FINAL", trigger: "trigger-crash-1")
                _ = try await MattermostAppTests.botPosts(server, count: 1)
                try await Task.sleep(for: .milliseconds(600))
            }
            let posts = await server.state.botPosts
            #expect(posts.count == 1)
            #expect(posts.first?.message.contains("PAYROLL\\_FINAL failed with RC 12") == true)
            #expect(await agent.count == 1)
        }
    }
}
