import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The chat core's shared behaviour on Teams, through the app over loopback: a follow-up in a reply chain
/// resolves against the chain's job, and a late answer queued in the outbox survives a crash.
@Suite("Teams and the chat core")
struct TeamsChatCoreTests {
    /// An activity in the reply chain rooted at `root` (`19:ops@thread.skype;messageid=<root>`).
    static func activity(id: String, text: String, root: String) -> [UInt8] {
        let timestamp = Date().formatted(.iso8601)
        return Array(
            #"{"type":"message","id":"\#(id)","timestamp":"\#(timestamp)","from":{"id":"29:ana","name":"Ana"},"conversation":{"id":"19:ops@thread.skype;messageid=\#(root)"},"text":"<at>Resync</at> \#(text)"}"#
                .utf8)
    }

    @Test func eachTeamsAnswerCountsInTheDashboardsBotActivity() async throws {
        let meter = BotActivityMeter()
        let answerer = TeamsGatedAnswering(answering: FakeQuestionAnswering(), policy: .allowAll, activity: meter)
        let message = TeamsInboundMessage(
            activityID: "activity-1", text: "status PAYROLL_FINAL", userID: "29:ana", userName: "Ana",
            conversationID: "19:ops@thread.skype", replyToID: nil, timestamp: Date(), serviceURL: nil)
        let answer = await answerer.answer(message, receivedAt: Date())
        #expect(answer.parsed.jobName == "PAYROLL_FINAL")
        let activity = await meter.summary()
        #expect(activity.questionsByPlatform == ["teams": 1])
        #expect(activity.latencyP50Milliseconds != nil)
    }

    @Test func followUpInTheReplyChainResolvesAgainstTheChainsJob() async throws {
        try await TeamsAppTests.withApp(replyBudget: .seconds(3)) { client, _, _, agent in
            let (first, _) = try await TeamsAppTests.post(
                client, body: Self.activity(id: "chain-1", text: "status PAYROLL_FINAL", root: "chain-1"))
            let (followUp, json) = try await TeamsAppTests.post(
                client, body: Self.activity(id: "chain-2", text: "and the log?", root: "chain-1"))
            // Another chain knows nothing of PAYROLL_FINAL.
            let (elsewhere, _) = try await TeamsAppTests.post(
                client, body: Self.activity(id: "other-1", text: "and the log?", root: "other-1"))
            #expect([first, followUp, elsewhere] == [.ok, .ok, .ok])
            #expect(await agent.questions.map(\.context.threadJobName) == [nil, "PAYROLL_FINAL", nil])
            #expect(TeamsAppTests.cardTexts(json).contains("PAYROLL_FINAL failed with RC 12"))
        }
    }

    @Test func lateAnswerQueuedBeforeACrashIsPostedToWorkflowsOnceAfterRestart() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { workflows in
            let environment = [
                "TEAMS_OUTGOING_WEBHOOK_SECRET": TeamsSignatureTests.sampleKey.value,
                "TEAMS_WORKFLOW_URL": FakeWorkflowsEndpoint.url(port: try #require(workflows.port)),
            ]
            let agent = FakeQuestionAnswering(delay: .milliseconds(400))
            var first = try await ChatAppHarness(environment: environment, answering: agent)
            first.options.teamsReplyBudget = .milliseconds(50)
            // The first instance answers late into the outbox, then "dies" before its worker sends anything.
            first.options.runOutboxWorker = false
            try await first.withApp { client, chat in
                let (status, json) = try await TeamsAppTests.post(
                    client, body: TeamsResponderTests.activity(id: "crash-late-1"))
                #expect(status == .ok)
                #expect(json?["text"] as? String == AnswerPresentation(language: .english).workingOnIt)
                #expect(try await eventually { try await chat.outbox.list(status: .pending, limit: 5).count == 1 })
            }
            #expect(await endpoint.recorder.attempts == 0)

            let second = try await ChatAppHarness(environment: environment, answering: agent, location: first.location)
            try await second.withApp { client, chat in
                // Teams' redelivery of the same activity is refused as a replay: it cannot cause a second answer.
                let (again, _) = try await TeamsAppTests.post(
                    client, body: TeamsResponderTests.activity(id: "crash-late-1"))
                #expect(again == .conflict)
                let bodies = await endpoint.waitForBodies(count: 1)
                #expect(bodies.first?.contains("PAYROLL_FINAL failed with RC 12") == true)
                #expect(try await eventually { try await chat.outbox.list(status: .sent, limit: 5).count == 1 })
            }
            let third = try await ChatAppHarness(environment: environment, answering: agent, location: first.location)
            try await third.withApp { _, _ in try await Task.sleep(for: .milliseconds(500)) }
            #expect(await endpoint.recorder.attempts == 1)
            #expect(await agent.count == 1)
        }
    }
    @Test func aQuestionIsHeldInTheInboundQueueUntilItsLateAnswerIsQueued() async throws {
        let held = HeldAnswering()
        try await TeamsAppTests.withApp(replyBudget: .milliseconds(100), answering: held) { client, chat, endpoint, _ in
            let (status, json) = try await TeamsAppTests.post(client, body: TeamsResponderTests.activity(id: "held-1"))
            #expect(status == .ok)
            #expect(json?["text"] as? String == AnswerPresentation(language: .english).workingOnIt)
            // "Working on it" was sent: the question is on record, claimed by this request.
            #expect(try await chat.inbound.item(id: "teams:held-1")?.status == .processing)
            await held.release()
            #expect(await endpoint.waitForBodies(count: 1).count == 1)
            #expect(try await chat.inbound.item(id: "teams:held-1")?.status == .done)
        }
    }

    @Test func aQuestionAnsweredInTheReplyIsClosed() async throws {
        try await TeamsAppTests.withApp(replyBudget: .seconds(3)) { client, chat, endpoint, _ in
            let (status, _) = try await TeamsAppTests.post(client, body: TeamsResponderTests.activity(id: "quick-1"))
            #expect(status == .ok)
            #expect(try await chat.inbound.item(id: "teams:quick-1")?.status == .done)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await endpoint.recorder.attempts == 0)
        }
    }

    @Test func aQuestionWhoseProcessDiedAfterWorkingOnItIsAnsweredOnceAfterRestart() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { workflows in
            let environment = [
                "TEAMS_OUTGOING_WEBHOOK_SECRET": TeamsSignatureTests.sampleKey.value,
                "TEAMS_WORKFLOW_URL": FakeWorkflowsEndpoint.url(port: try #require(workflows.port)),
            ]
            let agent = FakeQuestionAnswering()
            let first = try await ChatAppHarness(environment: environment, answering: agent)
            // What the route leaves behind when the process dies while answering: the question, claimed by a
            // request that will never complete it (three minutes ago, past the processor's claim lease).
            try await first.withApp { _, chat in
                let message = try TeamsActivityParser.parse(
                    TeamsResponderTests.activity(id: "died-1"), now: Date())
                let item = InboundWorkItem(
                    question: message.inboundQuestion(receivedAt: Date().addingTimeInterval(-180)),
                    replyInThread: true)
                let claim = try await chat.inbound.enqueueClaimed(
                    item, token: "teams-request:died-1", at: Date().addingTimeInterval(-180))
                #expect(claim != nil)
                // The route had also recorded the activity id against replays.
                #expect(try await chat.inbound.markSeen(key: "teams:died-1", platform: .teams, until: .distantFuture))
            }
            var second = try await ChatAppHarness(environment: environment, answering: agent, location: first.location)
            second.options.processor.claimLease = .seconds(60)
            try await second.withApp { client, chat in
                let bodies = await endpoint.waitForBodies(count: 1)
                #expect(bodies.first?.contains("PAYROLL_FINAL failed with RC 12") == true)
                #expect(try await eventually { try await chat.inbound.item(id: "teams:died-1")?.status == .done })
                // Teams delivering the activity again is refused as a replay.
                let (again, _) = try await TeamsAppTests.post(client, body: TeamsResponderTests.activity(id: "died-1"))
                #expect(again == .conflict)
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(await endpoint.recorder.attempts == 1)
            #expect(await agent.count == 1)
        }
    }
    @Test func learnInAReplyChainBecomesAKnownSolutionForTheChainsJob() async throws {
        let endpoint = FakeWorkflowsEndpoint()
        try await endpoint.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { workflows in
            var harness = try await ChatAppHarness(
                environment: [
                    "TEAMS_OUTGOING_WEBHOOK_SECRET": TeamsSignatureTests.sampleKey.value,
                    "TEAMS_WORKFLOW_URL": FakeWorkflowsEndpoint.url(port: try #require(workflows.port)),
                ],
                answering: FakeQuestionAnswering())
            harness.learns = true
            try await harness.withApp { client, _ in
                _ = try await TeamsAppTests.post(
                    client, body: Self.activity(id: "teach-1", text: "status PAYROLL_FINAL", root: "teach-1"))
                let (status, json) = try await TeamsAppTests.post(
                    client,
                    body: Self.activity(id: "teach-2", text: "learn cleared the lock file and reran", root: "teach-1"))
                #expect(status == .ok)
                #expect(TeamsAppTests.cardTexts(json).contains("Learned for PAYROLL_FINAL"))
                // A chain about no job learns nothing, and says so.
                let (_, stray) = try await TeamsAppTests.post(
                    client, body: Self.activity(id: "stray-1", text: "learn something", root: "stray-1"))
                #expect(TeamsAppTests.cardTexts(stray).contains("nothing was learned"))
            }
            guard case .sqlite(let path) = harness.location else { return }
            let database = try AppDatabase(location: .sqlite(path: path), logger: TestLogging.quiet("check"))
            let solutions = try await SQLMemoryStore(database: database, logger: TestLogging.quiet("check"))
                .knownSolutions(jobName: "PAYROLL_FINAL", errorSignature: nil, limit: 5)
            #expect(solutions.map(\.text) == ["cleared the lock file and reran"])
            #expect(solutions.first?.status == .active)
        }
    }
}
