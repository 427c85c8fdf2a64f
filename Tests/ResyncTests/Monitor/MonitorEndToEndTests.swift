import Agent
import ChatPlatforms
import Foundation
import HTTPTypes
import HWA
import HWASimulator
import Hummingbird
import HummingbirdTesting
import Logging
import Monitor
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The monitor wired to the real system: the HWA simulator driven by a scenario clock, the real HWA client,
/// the real agent's diagnosis over a SQL knowledge base, and the chat outbox posting to a fake Slack.
@Suite("Failure monitor end to end (simulator → agent → outbox → Slack)")
struct MonitorEndToEndTests {
    static let ops = "C_OPS"

    static let payrollScenario = SimulatorScenario(
        workstations: [.init(name: "AGENT1", states: ["LINKED", "RUNNING", "JOBMAN_UP"])],
        jobStreams: [.init(name: "PAYROLL", workstation: "AGENT1", scheduledMinutesAgo: 30)],
        jobs: [
            .init(
                name: "PAYROLL_FINAL", workstation: "AGENT1", jobStream: "PAYROLL",
                runs: [.init(status: "EXEC", startedMinutesAgo: 5)])
        ],
        events: [
            .init(
                afterSeconds: 60, job: "PAYROLL_FINAL", status: "ABEND", returnCode: 12,
                log: ["STEP03 started", "db password=hunter2", "STEP03 ended RC=12"]),
            .init(afterSeconds: 600, job: "PAYROLL_FINAL", status: "SUCC", returnCode: 0, rerun: true),
        ])

    @Test("EXEC → ABEND posts one alert with the KB procedure and owner; the rerun's success replies in its thread")
    func abendThenRecovery() async throws {
        let clock = SimulatorTestClock()
        try await FakeSlackServer.run { slack in
            try await withHWASimulator(scenario: Self.payrollScenario, timeSource: clock) { _, url in
                try await withHWAClient(baseURL: url, timeSource: clock) { client in
                    let system = try await MonitoredSystem(slack: slack, scheduler: client, clock: clock)
                    try await system.run { http, monitor, store in
                        // EXEC: nothing to say.
                        #expect(try await monitor.pollOnce().newFailures == 0)

                        clock.advance(by: 90)
                        #expect(try await monitor.pollOnce().alertsQueued == 1)
                        #expect(await system.outboxDrained())
                        // Polling again (same failure) queues nothing more.
                        #expect(try await monitor.pollOnce().alertsQueued == 0)
                        #expect(await system.outboxDrained())
                        let posts = await slack.state.calls("chat.postMessage")
                        // One alert: a single message in the channel; its log continues in its own thread.
                        let roots = posts.filter { $0.threadTS == nil }
                        try #require(roots.count == 1, "\(posts.map(\.body))")
                        let alert = roots[0]
                        let alertTS = try #require(alert.ts)
                        #expect(posts.allSatisfy { $0.channel == Self.ops && ($0.threadTS ?? alertTS) == alertTS })
                        let body = alert.blocksText + (alert.text ?? "")
                        #expect(body.contains("PAYROLL_FINAL"))
                        #expect(body.contains("Reexecute o passo STEP03"), "\(body)")
                        #expect(body.contains("Equipe Folha"), "\(body)")
                        #expect(posts.allSatisfy { !$0.body.contains("hunter2") })

                        // An operator's reply in the alert's thread is kept as a candidate solution.
                        let reply = SlackHarness.threadMessage(
                            "fixed by clearing the lock file", channel: Self.ops, ts: "1800000000.000200",
                            thread: alertTS, eventID: "EvReply1")
                        #expect(try await SlackHarness.postEvent(http, reply).status == .ok)
                        #expect(try await SlackHarness.postEvent(http, reply, retry: 1).status == .ok)
                        let candidates = try await store.candidateSolutions(jobName: "PAYROLL_FINAL", limit: 10)
                        #expect(candidates.map(\.text) == ["fixed by clearing the lock file"])

                        clock.advance(by: 600)
                        #expect(try await monitor.pollOnce().recoveries == 1)
                        #expect(await system.outboxDrained())
                        let replies = await slack.state.calls("chat.postMessage").dropFirst(posts.count)
                        try #require(replies.count == 1, "\(replies.map(\.body))")
                        let recovery = replies[replies.startIndex]
                        #expect(recovery.channel == Self.ops && recovery.threadTS == alertTS)
                        #expect((recovery.text ?? recovery.blocksText).contains("rc 0"), "\(recovery.body)")
                        // The question processor never answered the operator's note.
                        let all = await slack.state.calls("chat.postMessage")
                        #expect(all.allSatisfy { !$0.body.contains("fixed by clearing") })
                    }
                }
            }
        }
    }

    @Test("a job that ran for hours before it failed still alerts (the job's endTime is null, as on an engine)")
    func longRunningJobThatFails() async throws {
        let scenario = SimulatorScenario(
            workstations: [.init(name: "AGENT1", states: ["LINKED", "RUNNING", "JOBMAN_UP"])],
            jobStreams: [.init(name: "NIGHTLY", workstation: "AGENT1", scheduledMinutesAgo: 300)],
            jobs: [
                .init(
                    name: "DW_REBUILD", workstation: "AGENT1", jobStream: "NIGHTLY",
                    runs: [.init(status: "EXEC", startedMinutesAgo: 240)])
            ],
            events: [.init(afterSeconds: 60, job: "DW_REBUILD", status: "ABEND", returnCode: 8)])
        let clock = SimulatorTestClock()
        try await FakeSlackServer.run { slack in
            try await withHWASimulator(scenario: scenario, timeSource: clock) { _, url in
                try await withHWAClient(baseURL: url, timeSource: clock) { client in
                    let system = try await MonitoredSystem(slack: slack, scheduler: client, clock: clock)
                    try await system.run { _, monitor, _ in
                        let running = try await monitor.pollOnce()
                        #expect(running.newFailures == 0)
                        // The run started four hours before the poll window; only its end falls inside it.
                        clock.advance(by: 90)
                        let failed = try await monitor.pollOnce()
                        #expect(failed.alertsQueued == 1)
                        #expect(await system.outboxDrained())
                        let posts = await slack.state.calls("chat.postMessage")
                        #expect(posts.contains { ($0.blocksText + ($0.text ?? "")).contains("DW_REBUILD") })
                    }
                }
            }
        }
    }

    @Test("a storm through the outbox: one digest, every alert in its thread, each channel paced")
    func stormThroughTheOutbox() async throws {
        let count = 12
        let clock = SimulatorTestClock()
        let jobs = (1...count).map { index in
            SimulatorScenario.Job(
                name: String(format: "ETL_%02d", index), workstation: "AGENT1", jobStream: "NIGHTLY",
                runs: [.init(status: "EXEC", startedMinutesAgo: 5)])
        }
        let scenario = SimulatorScenario(
            workstations: [.init(name: "AGENT1", states: ["LINKED", "RUNNING", "JOBMAN_UP"])],
            jobStreams: [.init(name: "NIGHTLY", workstation: "AGENT1", scheduledMinutesAgo: 30)], jobs: jobs,
            events: jobs.map { .init(afterSeconds: 30, job: $0.name, status: "ABEND", returnCode: 8) })
        try await FakeSlackServer.run { slack in
            try await withHWASimulator(scenario: scenario, timeSource: clock) { _, url in
                try await withHWAClient(baseURL: url, timeSource: clock) { client in
                    let system = try await MonitoredSystem(
                        slack: slack, scheduler: client, clock: clock, stormThreshold: 5)
                    try await system.run { _, monitor, _ in
                        clock.advance(by: 60)
                        let report = try await monitor.pollOnce()
                        #expect(report.digestsQueued == 1 && report.alertsQueued == count)
                        #expect(await system.outboxDrained(timeout: .seconds(30)))
                        let posts = await slack.state.calls("chat.postMessage")
                        // Nothing lost: every queued item was posted, once.
                        #expect(try await system.outboxItems().count == posts.count)
                        let roots = posts.filter { $0.threadTS == nil }
                        try #require(roots.count == 1)
                        let digestTS = try #require(roots[0].ts)
                        #expect(posts[0].ts == digestTS)
                        #expect(
                            posts.dropFirst().allSatisfy { $0.threadTS == digestTS },
                            "\(posts.map { "\($0.ts ?? "-") in \($0.threadTS ?? "-"): \($0.text ?? "")" })")
                        let names = Set(
                            posts.dropFirst().compactMap { post in
                                jobs.map(\.name).first { (post.blocksText + (post.text ?? "")).contains($0) }
                            })
                        #expect(names.count == count)
                        // One channel: the worker spaces the starts of its sends by the pacing. Arrival times add
                        // each request's latency, which jitters on a loaded machine, so the assertion is on the whole
                        // run: all intervals less a latency allowance (unpaced, the run would take a fraction).
                        let pacing = MonitoredSystem.pacingSeconds
                        let times = posts.map(\.receivedAt)
                        let span = try #require(times.last).timeIntervalSince(times[0])
                        let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
                        #expect(span >= Double(times.count - 1) * pacing - 0.2, "\(gaps)")
                    }
                }
            }
        }
    }
}

/// The application's real wiring on a SQLite file: chat runtime (outbox worker) against the fake Slack, the
/// agent over the given scheduler and a SQL knowledge base, and the monitor polled by hand.
struct MonitoredSystem: Sendable {
    static let pacingSeconds = 0.04

    let dependencies: AppDependencies
    let monitorParts: MonitorWiring.Parts
    let knowledge: SQLKnowledgeStore
    let rulesPath: String

    /// - Parameter otherPlatforms: environment of the other platforms to configure too (Mattermost, Teams).
    init(
        slack: FakeSlackServer, scheduler: any SchedulerAPI, clock: SimulatorTestClock, stormThreshold: Int = 10,
        otherPlatforms: [String: String] = [:]
    ) async throws {
        guard case .sqlite(let path) = try await TestDatabases.makeLocation(.sqlite) else {
            throw CancellationError()
        }
        let rulesPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("alert-routes-\(UUID().uuidString).json").path
        try Data(#"{"storm": {"threshold": \#(stormThreshold)}}"#.utf8).write(to: URL(fileURLWithPath: rulesPath))
        let environment: [String: String] = [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite://\(path)",
            "SLACK_SIGNING_SECRET": SlackHarness.secret.value, "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_API_BASE_URL": slack.apiBaseURL, "SLACK_OPS_CHANNEL": MonitorEndToEndTests.ops,
            "MONITOR_RULES_PATH": rulesPath,
        ]
        let config = try AppConfig.load(environment: environment.merging(otherPlatforms) { _, other in other })
        var logger = Logger(label: "test.monitor-e2e")
        logger.logLevel = .critical
        let database = try AppDatabase(location: config.database, logger: logger)
        let knowledge = SQLKnowledgeStore(database: database, logger: logger)
        let agent = Agent(
            scheduler: scheduler, knowledge: knowledge, memories: SQLMemoryStore(database: database, logger: logger),
            time: clock, logger: logger)
        var dependencies = AppDependencies(
            config: config, database: database, registry: PrometheusCollectorRegistry(), readiness: [],
            services: [database], logger: logger, scheduler: scheduler, knowledge: knowledge, agent: agent)
        let options = ChatWiring.Options(
            processor: .init(concurrency: 2, pollInterval: .milliseconds(50)),
            outbox: .init(concurrency: 4, pollInterval: .milliseconds(20), maxAttempts: 4),
            slackChannelPacing: .milliseconds(Int64(Self.pacingSeconds * 1_000)), slackRequestTimeout: .seconds(5))
        let chat = try #require(
            try ChatWiring.makeChat(
                slack: config.slack, teams: config.teams, mattermost: config.mattermost, database: database,
                answering: agent, accessPolicy: .allowAll, options: options, httpClient: TestHTTPClient.shared,
                logger: logger))
        ChatWiring.attach(chat, to: &dependencies)
        // The monitor is polled by the test (its service would poll on its own schedule); the reply hook is
        // what `MonitorWiring.attach` does.
        let parts = try MonitorWiring.makeMonitor(
            config: config, database: database, scheduler: scheduler, diagnoser: agent,
            publisher: chat.alertPublisher, rulesPath: rulesPath, time: clock,
            publishingPlatforms: MonitorWiring.runtimePlatforms(chat),
            logger: logger)
        dependencies.chat?.ingress.alertReplies = parts.replies
        self.dependencies = dependencies
        self.monitorParts = parts
        self.knowledge = knowledge
        self.rulesPath = rulesPath
    }

    /// Waits until every outbox item was sent (true) or one failed / `timeout` passed (false).
    func outboxDrained(timeout: Duration = .seconds(10)) async -> Bool {
        await eventually(timeout: timeout) {
            guard let items = try? await outboxItems() else { return false }
            return !items.isEmpty && items.allSatisfy { $0.status == .sent }
        }
    }

    func outboxItems() async throws -> [OutboxItem] {
        try await dependencies.chat?.outbox.list(status: nil, limit: 10_000) ?? []
    }

    /// Runs the application (HTTP, chat services) with the payroll KB entry loaded while `body` runs.
    func run(
        _ body: @escaping @Sendable (any TestClientProtocol, FailureMonitor, any AlertStateStore) async throws -> Void
    ) async throws {
        let app = ResyncApplication.buildApplication(dependencies)
        let parts = monitorParts
        let knowledge = knowledge
        defer { try? FileManager.default.removeItem(atPath: rulesPath) }
        try await app.test(.live) { client in
            let payroll = KnowledgeSamples.entries.filter { $0.key == "payroll-final" }
            _ = try await knowledge.replaceAll(with: payroll, importErrors: 0)
            try await body(client, parts.monitor, parts.store)
        }
    }
}
