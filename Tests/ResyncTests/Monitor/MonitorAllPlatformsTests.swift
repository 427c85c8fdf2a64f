import Foundation
import HWASimulator
import HummingbirdTesting
import Monitor
import ResyncCore
import TestSupport
import Testing
import Web

/// The monitor's alert and recovery reach the ops channel of every configured platform through the outbox:
/// Slack (threaded), Mattermost (threaded with `root_id`) and the Teams Workflows webhook (not threaded).
@Suite("Failure monitor end to end on Slack, Mattermost and Teams Workflows")
struct MonitorAllPlatformsTests {
    static let mattermostOps = "ops0mattermost0channel00000"

    @Test func abendAlertsEveryPlatformOnceAndRecoveryRepliesInEachThread() async throws {
        let clock = SimulatorTestClock()
        let mattermost = FakeMattermostServer()
        let workflows = FakeWorkflowsEndpoint()
        try await FakeSlackServer.run { slack in
            try await mattermost.application(logger: TestLogging.quiet("fake-mattermost")).test(.live) { mm in
                try await workflows.application(logger: TestLogging.quiet("fake-workflows")).test(.live) { wf in
                    try await withHWASimulator(scenario: MonitorEndToEndTests.payrollScenario, timeSource: clock) {
                        _, url in
                        try await withHWAClient(baseURL: url, timeSource: clock) { client in
                            let system = try await MonitoredSystem(
                                slack: slack, scheduler: client, clock: clock,
                                otherPlatforms: [
                                    "MATTERMOST_URL": "http://127.0.0.1:\(try #require(mm.port))",
                                    "MATTERMOST_BOT_TOKEN": mattermost.botToken,
                                    "MATTERMOST_OPS_CHANNEL_ID": Self.mattermostOps,
                                    "TEAMS_WORKFLOW_URL": FakeWorkflowsEndpoint.url(port: try #require(wf.port)),
                                ])
                            try await system.run { _, monitor, _ in
                                try await Self.alertThenRecover(
                                    monitor, system: system, clock: clock, slack: slack, mattermost: mattermost,
                                    workflows: workflows)
                            }
                        }
                    }
                }
            }
        }
    }

    static func alertThenRecover(
        _ monitor: FailureMonitor, system: MonitoredSystem, clock: SimulatorTestClock, slack: FakeSlackServer,
        mattermost: FakeMattermostServer, workflows: FakeWorkflowsEndpoint
    ) async throws {
        clock.advance(by: 90)
        #expect(try await monitor.pollOnce().alertsQueued == 1)
        #expect(await system.outboxDrained())
        #expect(try await monitor.pollOnce().alertsQueued == 0)

        // Slack: one root message in the ops channel.
        let slackRoots = await slack.state.calls("chat.postMessage").filter { $0.threadTS == nil }
        try #require(slackRoots.count == 1)
        #expect(slackRoots[0].channel == MonitorEndToEndTests.ops)
        // Mattermost: one root post in its ops channel with the KB procedure and owner.
        let mmPosts = await mattermost.state.botPosts
        let mmRoots = mmPosts.filter { $0.rootID.isEmpty }
        try #require(mmRoots.count == 1, "\(mmPosts.map(\.message))")
        let mmAlert = mmRoots[0]
        #expect(mmAlert.channelID == Self.mattermostOps)
        #expect(mmAlert.message.contains("PAYROLL\\_FINAL") || mmAlert.message.contains("PAYROLL_FINAL"))
        #expect(mmAlert.message.contains("Reexecute o passo STEP03"), "\(mmAlert.message)")
        #expect(mmAlert.message.contains("Equipe Folha"), "\(mmAlert.message)")
        #expect(mmPosts.allSatisfy { $0.rootID.isEmpty || $0.rootID == mmAlert.id })
        // Teams: one Adaptive Card through Workflows.
        let cards = await workflows.waitForBodies(count: 1)
        try #require(cards.count == 1)
        #expect(cards[0].contains("PAYROLL_FINAL") && cards[0].contains("Equipe Folha"), "\(cards[0])")
        #expect(cards[0].contains("application/vnd.microsoft.card.adaptive"))
        // The log's secret reached no platform.
        let everything = cards + mmPosts.map(\.message) + (await slack.state.calls("chat.postMessage")).map(\.body)
        #expect(everything.allSatisfy { !$0.contains("hunter2") })

        clock.advance(by: 600)
        #expect(try await monitor.pollOnce().recoveries == 1)
        #expect(await system.outboxDrained())
        let mmReplies = await mattermost.state.botPosts.dropFirst(mmPosts.count)
        try #require(mmReplies.count == 1)
        #expect(mmReplies.first?.rootID == mmAlert.id)
        #expect(mmReplies.first?.message.contains("rc 0") == true, "\(mmReplies.first?.message ?? "")")
        // Workflows posts cannot be threaded: the recovery is its own card, naming the job.
        let allCards = await workflows.waitForBodies(count: 2)
        try #require(allCards.count == 2)
        #expect(allCards[1].contains("PAYROLL_FINAL") && allCards[1].contains("rc 0"), "\(allCards[1])")
        let slackReplies = await slack.state.calls("chat.postMessage").filter {
            $0.threadTS == slackRoots[0].ts && ($0.text ?? $0.blocksText).contains("rc 0")
        }
        #expect(slackReplies.count == 1)
    }
}
