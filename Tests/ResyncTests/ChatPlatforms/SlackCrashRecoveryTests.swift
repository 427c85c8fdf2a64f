import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The process dies between accepting an event and sending its reply; a new process on the same
/// database sends the reply exactly once.
@Suite("Slack crash recovery")
struct SlackCrashRecoveryTests {
    @Test func questionAcceptedButNotAnsweredIsAnsweredOnceAfterRestart() async throws {
        try await FakeSlackServer.run { slack in
            let agent = FakeQuestionAnswering()
            var first = try await SlackHarness(slack: slack, answering: agent)
            // The first instance only takes webhooks: it "dies" before any answer is produced.
            first.options.runProcessor = false
            first.options.runOutboxWorker = false
            try await first.withApp { client, chat in
                let ack = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000800.000100", eventID: "EvC1"))
                #expect(ack.status == .ok)
                #expect(try await chat.inbound.item(id: "slack:msg:C_OPS:1700000800.000100")?.status == .pending)
            }
            #expect(await slack.state.calls.isEmpty)

            let second = try await SlackHarness(slack: slack, answering: agent, location: first.location)
            try await second.withApp { client, _ in
                // Slack's own retry of the event reaches the new instance too: still one reply.
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000800.000100", eventID: "EvC1"),
                    retry: 1)
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                try await Task.sleep(for: .milliseconds(600))
            }
            let third = try await SlackHarness(slack: slack, answering: agent, location: first.location)
            try await third.withApp { _, _ in try await Task.sleep(for: .milliseconds(600)) }
            #expect(await slack.state.calls("chat.postMessage").count == 1)
            #expect(await slack.state.calls("chat.postMessage").first?.threadTS == "1700000800.000100")
            #expect(await agent.count == 1)
        }
    }

    @Test func replyWrittenToTheOutboxButNotSentIsSentOnceAfterRestart() async throws {
        try await FakeSlackServer.run { slack in
            let agent = FakeQuestionAnswering(logLines: 1_500)
            var first = try await SlackHarness(slack: slack, answering: agent)
            first.options.runOutboxWorker = false
            try await first.withApp { client, chat in
                _ = try await SlackHarness.postForm(
                    client, "/slack/commands",
                    SlackHarness.slashCommand("log PAYROLL_FINAL", responseURL: slack.responseURL("c")))
                #expect(try await eventually { try await chat.outbox.list(status: .pending, limit: 50).count >= 2 })
            }
            #expect(await slack.state.calls.isEmpty)

            let second = try await SlackHarness(slack: slack, answering: agent, location: first.location)
            let pending = try await second.withApp { _, chat in
                let parts = try await chat.outbox.list(status: nil, limit: 50).count
                #expect(try await eventually { try await chat.outbox.list(status: .sent, limit: 50).count == parts })
                return parts
            }
            let third = try await SlackHarness(slack: slack, answering: agent, location: first.location)
            try await third.withApp { _, _ in try await Task.sleep(for: .milliseconds(600)) }
            let posts = await slack.state.calls("chat.postMessage")
            #expect(posts.count == pending)
            // The answer started the thread; the log parts continue it, in order.
            let root = try #require(posts.first)
            #expect(root.threadTS == nil)
            #expect(posts.dropFirst().allSatisfy { $0.threadTS == root.ts })
            #expect(await agent.count == 1)
        }
    }
}
