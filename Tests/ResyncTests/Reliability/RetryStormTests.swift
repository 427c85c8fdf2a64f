import AsyncHTTPClient
import ChatPlatforms
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport
import Testing
import Web

/// Slack redelivers an event it thinks was lost (`X-Slack-Retry-Num` 1…3). N events, each delivered four times
/// at once through the real application over loopback, are answered exactly N times, once each.
@Suite("Reliability: Slack retry storm")
struct ReliabilityRetryStormTests {
    static let events = ReliabilityMode.current.size(smoke: 50, full: 1_000)
    static let channels = 25

    /// Posts one signed delivery with the real HTTP client (many connections, truly concurrent).
    static func deliver(port: Int, body: String, retry: Int) async throws -> HTTPResponseStatus {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/slack/events")
        request.method = .POST
        let signed = SlackHarness.signedHeaders(body, contentType: "application/json")
        for field in signed { request.headers.add(name: field.name.canonicalName, value: field.value) }
        if retry > 0 {
            request.headers.add(name: "X-Slack-Retry-Num", value: String(retry))
            request.headers.add(name: "X-Slack-Retry-Reason", value: "http_timeout")
        }
        request.body = .bytes(ByteBuffer(string: body))
        return try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status
    }

    @Test func everyEventDeliveredFourTimesIsAnsweredOnce() async throws {
        try await FakeSlackServer.run { slack in
            let agent = FakeQuestionAnswering()
            let harness = try await SlackHarness(slack: slack, answering: agent)
            try await harness.withApp(.live) { client, _ in
                let port = try #require(client.port)
                let started = ContinuousClock.now
                let statuses = try await withThrowingTaskGroup(of: [HTTPResponseStatus].self) { group in
                    var collected: [HTTPResponseStatus] = []
                    // At most 16 events (64 requests) in flight: a storm, but bounded.
                    for index in 0..<Self.events {
                        if index >= 16, let batch = try await group.next() { collected += batch }
                        group.addTask {
                            let body = SlackHarness.mention(
                                "status JOB_\(index)", channel: "C_STORM\(index % Self.channels)",
                                ts: "1700001000.\(String(format: "%06d", index))", eventID: "EvStorm\(index)")
                            return try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { copies in
                                for retry in 0..<4 {
                                    copies.addTask { try await Self.deliver(port: port, body: body, retry: retry) }
                                }
                                return try await copies.reduce(into: []) { $0.append($1) }
                            }
                        }
                    }
                    for try await batch in group { collected += batch }
                    return collected
                }
                let acked = ContinuousClock.now - started
                #expect(statuses.count == Self.events * 4)
                #expect(statuses.allSatisfy { $0 == .ok })
                let answered = await eventually(timeout: .seconds(Self.events > 100 ? 120 : 30)) {
                    await slack.state.calls("chat.postMessage").count >= Self.events
                }
                #expect(answered)
                // Anything extra would show up within a few poll intervals.
                try await Task.sleep(for: .milliseconds(500))
                let posts = await slack.state.calls("chat.postMessage")
                let threads = Dictionary(grouping: posts, by: { "\($0.channel ?? ""):\($0.threadTS ?? "")" })
                let duplicated = threads.values.filter { $0.count > 1 }.count
                let asked = await agent.count
                #expect(posts.count == Self.events, "replies: \(posts.count)")
                #expect(threads.count == Self.events)
                #expect(duplicated == 0)
                #expect(asked == Self.events)
                ReliabilityResults.record(
                    suite: "retry storm", name: "Slack: each event delivered 4 times concurrently",
                    count: Self.events,
                    passed: posts.count == Self.events && threads.count == Self.events && asked == Self.events
                        && statuses.allSatisfy { $0 == .ok },
                    figures: "\(Self.events * 4) deliveries acked (all 200) in \(acked.milliseconds) ms; "
                        + "\(posts.count) replies in \(threads.count) threads, \(duplicated) duplicated; agent asked "
                        + "\(asked) times")
            }
        }
    }
}
