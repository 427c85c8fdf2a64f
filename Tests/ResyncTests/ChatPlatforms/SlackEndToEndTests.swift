import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("Slack end to end over loopback HTTP")
struct SlackEndToEndTests {
    @Test func slashCommandAcksAtOnceThenPostsAThreadRootThatFollowUpsResolve() async throws {
        try await FakeSlackServer.run { slack in
            // The agent is slow; the ack must not wait for it.
            let agent = FakeQuestionAnswering(delay: .milliseconds(400))
            let harness = try await SlackHarness(slack: slack, answering: agent)
            try await harness.withApp { client, chat in
                let started = ContinuousClock.now
                let ack = try await SlackHarness.postForm(
                    client, "/slack/commands",
                    SlackHarness.slashCommand("status PAYROLL_FINAL", responseURL: slack.responseURL("cmd1")))
                let ackTime = ContinuousClock.now - started
                #expect(ack.status == .ok)
                #expect(ackTime < .seconds(3))
                let ackBody = String(buffer: ack.body)
                #expect(ackBody.contains(#""response_type":"ephemeral""#))
                #expect(ackBody.contains("Working on"))

                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                let root = try #require(await slack.state.calls("chat.postMessage").first)
                #expect(root.channel == "C_OPS")
                #expect(root.threadTS == nil)
                #expect(root.authorization == "Bearer xoxb-test-token")
                #expect(root.text?.contains("PAYROLL_FINAL failed with RC 12") == true)
                #expect(root.blocksText.contains("*RC*\n12"))
                #expect(root.blocksText.contains("Restart the step after checking the input file"))
                #expect(root.blocksText.contains("Payroll Team"))
                let rootTS = try #require(root.ts)
                _ = try await sentItem(chat, ts: rootTS)

                // A mention in the answer's thread, without naming the job: the thread's job is used.
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.mention("and the log?", ts: "1800000000.000200", thread: rootTS, eventID: "EvF1"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count >= 2 })
                let logReply = try #require(await slack.state.calls("chat.postMessage").dropFirst().first)
                #expect(logReply.threadTS == rootTS)
                #expect(
                    logReply.blocksText.contains("PAYROLL_FINAL") || logReply.text?.contains("PAYROLL_FINAL") == true)

                // A plain reply in the thread (no mention) is answered because Resync is part of the thread.
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.threadMessage(
                        "e o responsável?", ts: "1800000000.000300", thread: rootTS, eventID: "EvF2"))
                #expect(await eventually { await agent.count == 3 })
                let contexts = await agent.questions.map(\.context.threadJobName)
                #expect(contexts == [nil, "PAYROLL_FINAL", "PAYROLL_FINAL"])
                #expect(
                    await eventually {
                        await slack.state.calls("chat.postMessage").filter { $0.threadTS == rootTS }.count >= 3
                    })
            }
        }
    }

    @Test func appMentionGetsAThreadedReply() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, _ in
                let response = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status BILLING_RUN", ts: "1700000100.000100", eventID: "EvM1"))
                #expect(response.status == .ok)
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                let reply = try #require(await slack.state.calls("chat.postMessage").first)
                #expect(reply.threadTS == "1700000100.000100")
                #expect(reply.channel == "C_OPS")
                #expect(reply.text?.contains("BILLING_RUN failed") == true)
            }
        }
    }

    @Test func retriedDeliveriesOfOneEventProduceExactlyOneReply() async throws {
        try await FakeSlackServer.run { slack in
            // Slow enough that the retries arrive while the first delivery is still being answered.
            let agent = FakeQuestionAnswering(delay: .milliseconds(800))
            let harness = try await SlackHarness(slack: slack, answering: agent)
            try await harness.withApp(.ahc(.http)) { client, _ in
                let event = SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000200.000100", eventID: "EvR1")
                let statuses: [HTTPResponse.Status] = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) {
                    group in
                    for retry in [nil, 1, 2, 3] as [Int?] {
                        group.addTask { try await SlackHarness.postEvent(client, event, retry: retry).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .ok })
                // The same message delivered as a plain `message` event is not answered again either.
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.threadMessage(
                        "status PAYROLL_FINAL", ts: "1700000200.000100", thread: "1700000200.000050", eventID: "EvR2"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                try await Task.sleep(for: .milliseconds(1_200))
                #expect(await slack.state.calls("chat.postMessage").count == 1)
                #expect(await agent.count == 1)
            }
        }
    }

    @Test func reactionOnTheAnswerBecomesAFeedbackRow() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, chat in
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000300.000100", eventID: "EvX1"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                let answerTS = try #require(await slack.state.calls("chat.postMessage").first?.ts)
                let answerID = try #require(try await sentItem(chat, ts: answerTS).answerID)

                _ = try await SlackHarness.postEvent(client, SlackHarness.reaction("+1::skin-tone-3", ts: answerTS))
                _ = try await SlackHarness.postEvent(client, SlackHarness.reaction("+1", ts: "1.1"))  // not ours
                let rows = try await chat.feedback.feedback(answerID: answerID)
                #expect(rows.count == 1)
                #expect(rows.first?.feedback.signal == "+1")
                #expect(rows.first?.feedback.polarity == .positive)
                #expect(rows.first?.feedback.user == "U_REVIEWER")
                #expect(rows.first?.jobName == "PAYROLL_FINAL")
                #expect(rows.first?.feedback.conversation.thread == "1700000300.000100")

                _ = try await SlackHarness.postEvent(client, SlackHarness.reaction("+1", ts: answerTS, added: false))
                #expect(try await chat.feedback.feedback(answerID: answerID).first?.feedback.added == false)

                // The dashboard's bot activity counts the answer and the 👍 given (not the one on a foreign message;
                // a withdrawal takes nothing back).
                #expect(await eventually { await harness.activity.summary().questionsByPlatform == ["slack": 1] })
                let activity = await harness.activity.summary()
                #expect(activity.latencyP50Milliseconds != nil)
                #expect(activity.positiveFeedback == 1)
                #expect(activity.negativeFeedback == 0)
            }
        }
    }

    @Test func buttonsRecordFeedbackAndShowTheLogInTheThread() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, chat in
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000400.000100", eventID: "EvB1"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                let answerTS = try #require(await slack.state.calls("chat.postMessage").first?.ts)
                let sent = try await sentItem(chat, ts: answerTS)
                func click(_ action: String, value: String, trigger: String) async throws -> HTTPResponse.Status {
                    let payload =
                        #"{"type":"block_actions","trigger_id":"\#(trigger)","user":{"id":"U_OPERATOR"},"channel":{"id":"C_OPS"},"container":{"type":"message","message_ts":"\#(answerTS)","channel_id":"C_OPS","thread_ts":"1700000400.000100"},"response_url":"\#(slack.responseURL("act"))","actions":[{"action_id":"\#(action)","value":"\#(value)","action_ts":"1"}]}"#
                    return try await SlackHarness.postForm(client, "/slack/interactivity", [("payload", payload)])
                        .status
                }
                #expect(try await click("resync_wrong", value: "a", trigger: "t1") == .ok)
                #expect(try await click("resync_wrong", value: "a", trigger: "t1") == .ok)  // redelivered click
                let rows = try await chat.feedback.feedback(answerID: try #require(sent.answerID))
                #expect(rows.map(\.feedback.polarity) == [.negative])
                #expect(await eventually { await slack.state.calls("response_url").count == 1 })
                #expect(await slack.state.calls("response_url").first?.responseType == "ephemeral")

                #expect(try await click("resync_show_log", value: "PAYROLL_FINAL", trigger: "t2") == .ok)
                let logLine = "line 1: step 1 ended; &lt;rc&gt; &amp; status"
                #expect(
                    await eventually {
                        await slack.state.calls("chat.postMessage").contains { $0.blocksText.contains(logLine) }
                    })
                let log = try #require(
                    await slack.state.calls("chat.postMessage").first { $0.blocksText.contains(logLine) })
                #expect(log.threadTS == "1700000400.000100")
            }
        }
    }

    /// The Explain button asked "explain JOB", which reads as English: a Portuguese deployment answered it in
    /// English (found by QA). With the real agent (default language Portuguese) the answer is Portuguese.
    @Test func explainButtonAnswersInTheDefaultLanguage() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try await SlackHarness(slack: slack, answering: AgentHarness().agent)
            try await harness.withApp { client, _ in
                let payload =
                    #"{"type":"block_actions","trigger_id":"tx1","user":{"id":"U_OPERATOR"},"channel":{"id":"C_OPS"},"container":{"type":"message","message_ts":"1700000700.000100","channel_id":"C_OPS"},"response_url":"\#(slack.responseURL("act"))","actions":[{"action_id":"resync_explain","value":"PAYROLL_FINAL","action_ts":"1"}]}"#
                let status = try await SlackHarness.postForm(client, "/slack/interactivity", [("payload", payload)])
                    .status
                #expect(status == .ok)
                #expect(await eventually { await slack.state.calls("chat.postMessage").count >= 1 })
                let reply = try #require(await slack.state.calls("chat.postMessage").first)
                #expect(reply.threadTS == "1700000700.000100")
                #expect(reply.text?.contains("PAYROLL_FINAL falhou RC 12") == true, "\(reply.text ?? "")")
            }
        }
    }

    @Test func accessPolicyDeniesPolitelyAndPostsNothingElse() async throws {
        try await FakeSlackServer.run { slack in
            var harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            harness.policy = ChatAccessPolicy(rules: [.init(channels: ["C_BILLING"], jobs: ["BILLING_*"])])
            try await harness.withApp { client, _ in
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.mention(
                        "status PAYROLL_FINAL", channel: "C_BILLING", ts: "1700000500.000100", eventID: "EvA1"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
                let reply = try #require(await slack.state.calls("chat.postMessage").first)
                #expect(reply.text?.contains("not available in this channel") == true)
                #expect(!reply.blocksText.contains("Payroll Team"))
                #expect(!reply.blocksText.contains("RC"))
                // The same channel may see its own jobs.
                _ = try await SlackHarness.postEvent(
                    client,
                    SlackHarness.mention(
                        "status BILLING_RUN", channel: "C_BILLING", ts: "1700000500.000200", eventID: "EvA2"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 2 })
                #expect(await slack.state.calls("chat.postMessage").last?.text?.contains("BILLING_RUN failed") == true)
            }
        }
    }

    /// With the real agent: a list answer in a restricted channel names, counts and cites only its own jobs.
    @Test func accessPolicyScopesListAnswersEndToEnd() async throws {
        try await Self.withPayrollChannel { slack, ask in
            try await ask("what failed today?", "1700000600.000100", "EvL1")
            #expect(await eventually { await slack.state.calls("chat.postMessage").count == 1 })
            let reply = try #require(await slack.state.calls("chat.postMessage").first)
            let shown = (reply.text ?? "") + reply.blocksText
            #expect(shown.contains("PAYROLL_FINAL"))
            #expect(reply.text?.contains("1 job") == true, "\(reply.text ?? "")")
            for hidden in ["TRANSFER_SFTP_02", "SALES_DAILY"] { #expect(!shown.contains(hidden), "\(hidden)") }
        }
    }

    /// A job asked about by the id answers print (`WS#/FOLDER/STREAM.JOB`) is checked by its own name: the channel's
    /// job is answered, another channel's job is refused.
    @Test func accessPolicyReadsJobsAskedByTheirPrintedID() async throws {
        try await Self.withPayrollChannel { slack, ask in
            try await ask("status AGT_LNX_01#/FINANCE/FINANCE_DAILY.PAYROLL_FINAL", "1700000700.000100", "EvQ1")
            #expect(await eventually { await slack.state.calls("chat.postMessage").count >= 1 })
            let allowed = try #require(await slack.state.calls("chat.postMessage").first)
            #expect(allowed.text?.contains("PAYROLL_FINAL falhou") == true, "\(allowed.text ?? "")")
            try await ask("status AGT_LNX_02#SALES_DAILY.TRANSFER_SFTP_02", "1700000700.000200", "EvQ2")
            // The first answer's log continues in its thread; the refusal is a post of its own.
            let refusal = "não está disponível neste canal"
            #expect(
                await eventually {
                    await slack.state.calls("chat.postMessage").contains { $0.text?.contains(refusal) == true }
                })
            let posts = await slack.state.calls("chat.postMessage")
            #expect(
                !posts.contains {
                    ($0.text ?? "").contains("TRANSFER_SFTP_02") || $0.blocksText.contains("TRANSFER")
                })
        }
    }

    /// A Slack app whose channel C_PAY may see only PAYROLL_* jobs, answered by the real agent; `ask` mentions the
    /// bot there with a question, the message's ts and the event id.
    static func withPayrollChannel(
        _ body:
            @escaping @Sendable (
                FakeSlackServer, _ ask: @Sendable (String, String, String) async throws -> Void
            ) async throws -> Void
    ) async throws {
        try await FakeSlackServer.run { slack in
            var harness = try await SlackHarness(slack: slack, answering: AgentHarness().agent)
            harness.policy = ChatAccessPolicy(rules: [.init(channels: ["C_PAY"], jobs: ["PAYROLL_*"])])
            try await harness.withApp { client, _ in
                try await body(slack) { text, ts, eventID in
                    _ = try await SlackHarness.postEvent(
                        client, SlackHarness.mention(text, channel: "C_PAY", ts: ts, eventID: eventID))
                }
            }
        }
    }

    @Test func rateLimitRetryAfterIsHonoured() async throws {
        try await FakeSlackServer.run { slack in
            await slack.state.script("chat.postMessage", [.rateLimited(retryAfterSeconds: 2)])
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, chat in
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000600.000100", eventID: "EvL1"))
                #expect(await eventually { await slack.state.calls("chat.postMessage").count == 2 })
                let calls = await slack.state.calls("chat.postMessage")
                #expect(calls[0].reply == .rateLimited(retryAfterSeconds: 2))
                #expect(calls[1].reply == .ok)
                #expect(calls[1].receivedAt.timeIntervalSince(calls[0].receivedAt) >= 1.9)
                // The fake records the call before the worker marks the item sent.
                #expect(try await eventually { try await chat.outbox.list(status: .sent, limit: 10).count == 1 })
            }
        }
    }

    @Test func okFalseErrorsAreNotRetriedForever() async throws {
        try await FakeSlackServer.run { slack in
            await slack.state.script("chat.postMessage", [.error("channel_not_found"), .error("not_in_channel")])
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, chat in
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000700.000100", eventID: "EvE1"))
                #expect(try await eventually { try await chat.outbox.list(status: .failed, limit: 10).count == 1 })
                let failed = try #require(try await chat.outbox.list(status: .failed, limit: 10).first)
                #expect(failed.lastError?.contains("channel_not_found") == true)
                #expect(failed.attempts == 1)

                // A slash command where the bot is not in the channel falls back to response_url, in channel.
                _ = try await SlackHarness.postForm(
                    client, "/slack/commands",
                    SlackHarness.slashCommand(
                        "status PAYROLL_FINAL", channel: "C_PRIVATE", responseURL: slack.responseURL("fb")))
                #expect(await eventually { await slack.state.calls("response_url").count == 1 })
                #expect(await slack.state.calls("response_url").first?.responseType == "in_channel")
                try await Task.sleep(for: .milliseconds(500))
                #expect(await slack.state.calls("chat.postMessage").count == 2)
            }
        }
    }

    @Test func transientFailuresAreRetriedABoundedNumberOfTimes() async throws {
        try await FakeSlackServer.run { slack in
            await slack.state.script("chat.postMessage", Array(repeating: .error("internal_error"), count: 10))
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, chat in
                _ = try await SlackHarness.postEvent(
                    client, SlackHarness.mention("status PAYROLL_FINAL", ts: "1700000900.000100", eventID: "EvT1"))
                #expect(try await eventually { try await chat.outbox.list(status: .failed, limit: 10).count == 1 })
                let failed = try #require(try await chat.outbox.list(status: .failed, limit: 10).first)
                #expect(failed.attempts == harness.options.outbox.maxAttempts)
                #expect(failed.lastError?.contains("gave up after") == true)
                try await Task.sleep(for: .milliseconds(500))
                #expect(await slack.state.calls("chat.postMessage").count == harness.options.outbox.maxAttempts)
            }
        }
    }

    @Test func badRequestsGetClearClientErrors() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try await SlackHarness(slack: slack, answering: FakeQuestionAnswering())
            try await harness.withApp { client, _ in
                let challenge = #"{"token":"x","challenge":"abc123","type":"url_verification"}"#
                let verified = try await SlackHarness.postEvent(client, challenge)
                #expect(verified.status == .ok)
                #expect(String(buffer: verified.body).contains(#""challenge":"abc123""#))

                let unsigned = try await client.execute(
                    uri: "/slack/events", method: .post, body: ByteBuffer(string: challenge))
                #expect(unsigned.status == .unauthorized)
                var stale = SlackHarness.signedHeaders(
                    challenge, contentType: "application/json", timestamp: Date() - 600)
                stale[.contentType] = "application/json"
                let staleResponse = try await client.execute(
                    uri: "/slack/events", method: .post, headers: stale, body: ByteBuffer(string: challenge))
                #expect(staleResponse.status == .unauthorized)

                #expect(try await SlackHarness.postEvent(client, "{broken").status == .badRequest)
                let invalidUTF8 = "channel_id=C1&user_id=U1&trigger_id=1&text=%C3%28"
                let invalid = try await client.execute(
                    uri: "/slack/commands", method: .post,
                    headers: SlackHarness.signedHeaders(invalidUTF8, contentType: "application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: invalidUTF8))
                #expect(invalid.status == .badRequest)
                #expect(String(buffer: invalid.body).contains("UTF-8"))

                let huge = String(repeating: "a", count: (1 << 20) + 10)
                let oversize = try await client.execute(
                    uri: "/slack/events", method: .post,
                    headers: SlackHarness.signedHeaders(huge, contentType: "application/json"),
                    body: ByteBuffer(string: huge))
                #expect(oversize.status == .contentTooLarge)

                let probe = try await SlackHarness.postForm(
                    client, "/slack/commands", [("ssl_check", "1"), ("token", "x")])
                #expect(probe.status == .ok)
                #expect(probe.body.readableBytes == 0)
            }
            #expect(await slack.state.calls.isEmpty)
        }
    }
}
