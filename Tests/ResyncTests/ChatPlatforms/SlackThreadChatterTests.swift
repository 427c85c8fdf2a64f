import ChatPlatforms
import Foundation
import ResyncCore
import TestSupport
import Testing
import Web

/// Operators talk to each other in the threads of Resync's answers. A reply there that does not mention Resync
/// is answered only when it reads as a question about the thread's job; anything else gets no reply (it used to
/// get the "not understood" help every time).
@Suite("Slack: unaddressed thread replies", .serialized)
struct SlackThreadChatterTests {
    static let thread = "1700000500.000100"

    @Sendable static func isHelp(_ post: FakeSlackCall) -> Bool {
        post.text?.contains("Não entendi") == true || post.text?.contains("I didn't understand") == true
    }

    @Test func chatterInAnAnswersThreadGetsNoReplyWhileFollowUpQuestionsDo() async throws {
        try await FakeSlackServer.run { slack in
            // The real agent (deterministic, over the fixtures' plan and knowledge), so intents are parsed for real.
            let harness = try await SlackHarness(slack: slack, answering: AgentHarness().agent)
            try await harness.withApp { client, chat in
                let posts: @Sendable () async -> [FakeSlackCall] = { await slack.state.calls("chat.postMessage") }
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: Self.thread, eventID: "EvC1"))
                #expect(await eventually { await posts().count == 1 })
                // Once the answer is recorded as sent, the thread is about PAYROLL_FINAL.
                let answer = try #require(await posts().first)
                #expect(answer.text?.contains("PAYROLL_FINAL") == true)
                _ = try await sentItem(chat, ts: try #require(answer.ts))

                let chatter = [
                    ("ok, vou reexecutar depois do almoço", "1700000500.000200"),
                    ("valeu!", "1700000500.000300"),
                    ("thanks, I'm on it", "1700000500.000400"),
                ]
                for (index, (text, ts)) in chatter.enumerated() {
                    _ = try await SlackHarness.postEvent(
                        client, SlackHarness.threadMessage(text, ts: ts, thread: Self.thread, eventID: "EvX\(index)"))
                }
                // Each is processed to the end (done) without a reply.
                for (_, ts) in chatter {
                    #expect(
                        await eventually {
                            (try? await chat.inbound.item(id: "slack:msg:C_OPS:\(ts)"))?.status == .done
                        }, "\(ts)")
                    #expect(try await chat.inbound.item(id: "slack:msg:C_OPS:\(ts)")?.addressed == false)
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await posts().filter(Self.isHelp).isEmpty)
                let afterChatter = await posts().count

                // A follow-up question without a mention is still answered from the thread's job…
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.threadMessage("e o log?", ts: "1700000500.000500", thread: Self.thread, eventID: "EvF")
                )
                #expect(
                    await eventually {
                        await posts().dropFirst(afterChatter).contains { $0.text?.hasPrefix("Últimas") == true }
                    })
                #expect(await posts().allSatisfy { $0.threadTS == Self.thread })

                // …and chatter that mentions Resync is addressed to it: it gets the help.
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.mention("valeu!", ts: "1700000500.000600", thread: Self.thread, eventID: "EvM"))
                #expect(await eventually { await posts().contains(where: Self.isHelp) })
                #expect(try await chat.inbound.item(id: "slack:msg:C_OPS:1700000500.000600")?.addressed == true)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await posts().filter(Self.isHelp).count == 1)
            }
        }
    }
}
