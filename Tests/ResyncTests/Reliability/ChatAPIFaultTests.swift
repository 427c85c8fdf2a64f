import AsyncHTTPClient
import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// The Slack Web API misbehaves while questions arrive through the real application: 429 with `Retry-After`,
/// 5xx and transient `ok:false` on every channel, and a terminal `ok:false` (`channel_not_found`) on one. The
/// durable outbox retries within its bound, waits out `Retry-After`, keeps each channel's pacing, posts every
/// answer exactly once, records the terminal failures without retrying them, and never leaks the bot token.
@Suite("Reliability: chat API faults", .serialized)
struct ReliabilityChatAPIFaultTests {
    static let botToken = "xoxb-canary-bot-token-6d1a"
    /// Wide enough that a delivery delayed by a busy 2-core machine cannot pass for a pacing breach.
    static let pacing: Duration = .milliseconds(400)
    static let pacingJitter: Duration = .milliseconds(100)
    static let maxAttempts = 4
    static let retryAfterSeconds = 1
    /// Per good channel, the first three sends meet these; fewer faults than attempts, so nothing may be lost.
    static let transientFaults: [FakeSlackReply] = [
        .rateLimited(retryAfterSeconds: retryAfterSeconds), .serverError(503), .error("internal_error"),
    ]
    static let goneChannel = "C_GONE"

    static var options: ChatWiring.Options {
        ChatWiring.Options(
            processor: .init(concurrency: 4, pollInterval: .milliseconds(50)),
            outbox: .init(
                concurrency: 8, pollInterval: .milliseconds(50), maxAttempts: maxAttempts,
                initialBackoff: .milliseconds(200), maxBackoff: .seconds(2)),
            slackChannelPacing: pacing, slackRequestTimeout: .seconds(5))
    }

    /// The real application (router, Slack adapter, processor, outbox worker) on a fresh SQLite file.
    static func withApp<T: Sendable>(
        slack: FakeSlackServer, logs: CapturedLogs,
        _ body: @escaping @Sendable (Int, ChatRuntime) async throws -> T
    ) async throws -> T {
        guard case .sqlite(let path) = try await TestDatabases.makeLocation(.sqlite) else { throw CancellationError() }
        let config = try AppConfig.load(environment: [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite://\(path)",
            "SLACK_SIGNING_SECRET": SlackHarness.secret.value, "SLACK_BOT_TOKEN": botToken,
            "SLACK_API_BASE_URL": slack.apiBaseURL,
        ])
        let logger = logs.logger(label: "test.reliability.chat")
        let database = try AppDatabase(location: config.database, logger: logger)
        let (app, chat) = try await buildChatApplication(
            config: config, database: database, registry: TestMetrics.registry, logger: logger
        ) {
            try ChatWiring.makeChat(
                slack: config.slack, database: database, answering: FakeQuestionAnswering(),
                accessPolicy: .allowAll, options: options, httpClient: $0, logger: logger)
        }
        return try await app.test(.live) { client in
            try await body(try #require(client.port), chat)
        }
    }

    @Test func outboxRetriesPacesAndLosesNothingUnderSlackFaults() async throws {
        let mode = ReliabilityMode.current
        let channels = (0..<mode.size(smoke: 3, full: 8)).map { "C_FAULT\($0)" }
        let perChannel = mode.size(smoke: 3, full: 15)
        let goneEvents = mode.size(smoke: 2, full: 8)
        let logs = CapturedLogs()
        try await FakeSlackServer.run { slack in
            for channel in channels {
                await slack.state.script("chat.postMessage", channel: channel, Self.transientFaults)
            }
            await slack.state.script(
                "chat.postMessage", channel: Self.goneChannel,
                Array(repeating: .error("channel_not_found"), count: goneEvents * Self.maxAttempts))
            try await Self.withApp(slack: slack, logs: logs) { port, chat in
                var events: [(channel: String, ts: String)] = []
                for index in 0..<perChannel {
                    for (number, channel) in channels.enumerated() {
                        events.append((channel, "1700002000.\(String(format: "%03d%03d", number, index))"))
                    }
                }
                for index in 0..<goneEvents { events.append((Self.goneChannel, "1700003000.\(100 + index)")) }
                var statuses: [Int] = []
                for (index, event) in events.enumerated() {
                    let body = SlackHarness.mention(
                        "status JOB_\(index)", channel: event.channel, ts: event.ts, eventID: "EvChat\(index)")
                    statuses.append(
                        Int(try await ReliabilityRetryStormTests.deliver(port: port, body: body, retry: 0).code))
                }
                let good = events.count - goneEvents
                let settled = try await eventually(timeout: .seconds(mode == .full ? 120 : 40)) {
                    let sent = try await chat.outbox.list(status: .sent, limit: 10_000).count
                    let failed = try await chat.outbox.list(status: .failed, limit: 10_000).count
                    return sent >= good && failed >= goneEvents
                }
                #expect(settled)
                // A late duplicate or a retried terminal failure would show within a few poll intervals.
                try await Task.sleep(for: .milliseconds(600))
                let outcome = try await ChatFaultOutcome.read(
                    slack: slack, chat: chat, events: events, goneChannel: Self.goneChannel)
                let leaked = outcome.leaks(canaries: [Self.botToken, SlackHarness.secret.value], logs: logs.text)
                #expect(statuses.allSatisfy { $0 == 200 })
                #expect(outcome.answeredOnce == good, "answered once: \(outcome.answeredOnce)/\(good)")
                #expect(outcome.duplicated == 0)
                #expect(outcome.goneFailedOnce == goneEvents, "terminal failures: \(outcome.goneFailedOnce)")
                #expect(outcome.callsMatchAttempts, "calls \(outcome.calls), attempts \(outcome.attempts)")
                #expect(outcome.maxAttempts <= Self.maxAttempts)
                #expect(outcome.retryAfterViolations == 0)
                #expect(outcome.pacingViolations(pacing: Self.pacing, jitter: Self.pacingJitter) == 0)
                #expect(outcome.tokenSent(Self.botToken))
                #expect(leaked.isEmpty, "leaked: \(leaked)")
                let passed =
                    statuses.allSatisfy { $0 == 200 } && outcome.answeredOnce == good && outcome.duplicated == 0
                    && outcome.goneFailedOnce == goneEvents && outcome.callsMatchAttempts
                    && outcome.maxAttempts <= Self.maxAttempts && outcome.retryAfterViolations == 0
                    && outcome.pacingViolations(pacing: Self.pacing, jitter: Self.pacingJitter) == 0 && leaked.isEmpty
                ReliabilityResults.record(
                    suite: "chat API faults", name: "Slack 429 Retry-After, 5xx, ok:false", count: events.count,
                    passed: passed,
                    figures: "\(events.count) questions in \(channels.count + 1) channels; \(outcome.faults) faults "
                        + "(429 Retry-After \(Self.retryAfterSeconds) s, 503, internal_error, channel_not_found); "
                        + "\(outcome.answeredOnce)/\(good) answered exactly once, \(outcome.duplicated) twice; "
                        + "\(outcome.calls) chat.postMessage calls = \(outcome.attempts) recorded attempts "
                        + "(max \(outcome.maxAttempts) of \(Self.maxAttempts) per item); \(outcome.goneFailedOnce)/"
                        + "\(goneEvents) channel_not_found recorded failed after 1 call; shortest wait after a 429 "
                        + "\(outcome.shortestRetryAfterWait.milliseconds) ms; shortest gap in a channel "
                        + "\(outcome.shortestGap.milliseconds) ms (pacing \(Self.pacing.milliseconds) ms); "
                        + "no canary in logs/Slack bodies/metrics")
            }
        }
    }
}
