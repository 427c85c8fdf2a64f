import Foundation
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport
import Testing

/// `kill -9` of the real `resync serve` process, then a restart on the same SQLite file: every question that
/// was acknowledged (200) is answered exactly once, and no secret reaches the log, the outbox or Slack.
@Suite("Reliability: crash recovery of the real process", .serialized)
struct ReliabilityCrashRecoveryTests {
    static func expectNoCanary(in harness: ProcessHarness, responses: String = "") async throws -> Bool {
        let visible = try await harness.everythingVisible() + responses
        var clean = true
        for canary in ProcessHarness.canaries where visible.contains(canary) {
            Issue.record("canary \(canary) leaked into the log, the outbox or a Slack call")
            clean = false
        }
        return clean
    }

    /// Deterministic: the process dies after the ack and after the answer was composed, while the reply
    /// waits in the outbox (Slack answered 429 to the first attempt): the restarted process sends it once.
    @Test func killedAfterTheAckBeforeTheReplyIsAnsweredOnceAfterRestart() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try ProcessHarness(slack: slack)
            defer { harness.removeFolder() }
            await slack.state.script("chat.postMessage", [.rateLimited(retryAfterSeconds: 1)])
            let first = try await harness.start()
            let ts = "1700002000.000001"
            let ack = await ProcessHarness.postEvent(
                port: first.port, body: ProcessHarness.mention("status PAYROLL_FINAL", channel: "C_CRASH_D", ts: ts))
            #expect(ack == .ok)
            // The reply is in the outbox and was refused once (429): pending, with the error recorded.
            let waiting = await eventually(timeout: .seconds(30)) {
                (try? harness.count(
                    "SELECT COUNT(*) FROM chat_outbox WHERE channel = 'C_CRASH_D' AND status = 'pending' AND last_error IS NOT NULL"
                )) == 1
            }
            #expect(waiting)
            try await first.killHard()
            #expect(await harness.replies(channelPrefix: "C_CRASH_D").isEmpty)

            let second = try await harness.start()
            #expect(
                await eventually(timeout: .seconds(30)) { await harness.replies(channelPrefix: "C_CRASH_D").count >= 1 }
            )
            try await Task.sleep(for: .seconds(2))
            let responses = await ProcessHarness.bodies(
                port: second.port, paths: ["/metrics", "/readyz", "/healthz", "/openapi.json", "/dashboard"])
            #expect(responses.contains("resync_"), "no metrics were scraped")
            try await second.stop()
            let replies = await harness.replies(channelPrefix: "C_CRASH_D")
            // An answer may be several messages (the rest continue the thread): one outbox row each, each sent
            // once, none twice.
            let rows = try harness.count("SELECT COUNT(*) FROM chat_outbox WHERE channel = 'C_CRASH_D'")
            let sentRows = try harness.count(
                "SELECT COUNT(*) FROM chat_outbox WHERE channel = 'C_CRASH_D' AND status = 'sent'")
            let distinctBodies = Set(replies.map(\.body)).count
            #expect(rows >= 1 && sentRows == rows)
            #expect(replies.count == rows, "\(replies.count) replies for \(rows) outbox rows")
            #expect(distinctBodies == replies.count, "a message was sent twice")
            #expect(replies.allSatisfy { $0.threadTS == ts })
            let clean = try await Self.expectNoCanary(in: harness, responses: responses)
            ReliabilityResults.record(
                suite: "crash recovery", name: "kill -9 after the ack, before the reply (deterministic)", count: 1,
                passed: ack == .ok && waiting && replies.count == rows && sentRows == rows
                    && distinctBodies == replies.count && replies.allSatisfy { $0.threadTS == ts } && clean,
                figures: "1 acked question; 0 replies before the kill; after the restart \(replies.count) messages "
                    + "for its \(rows) outbox rows, none twice, all in its thread; no canary in log/outbox/Slack calls/metrics/responses"
            )
        }
    }

    /// Random points: questions stream in while the process is killed at a random moment, several times; the
    /// last process runs until every acknowledged question is answered (claims of a killed process are
    /// retaken after their 120 s lease).
    @Test(.enabled(if: ReliabilityMode.current == .full))
    func killedAtRandomPointsUnderLoadAnswersEveryAcceptedQuestionOnce() async throws {
        try await FakeSlackServer.run { slack in
            let harness = try ProcessHarness(slack: slack)
            defer { harness.removeFolder() }
            let rounds = 5
            let perRound = 40
            var generator = SeededGenerator(seed: FuzzSettings.fromEnvironment().seed)
            var accepted: [String: String] = [:]  // ts -> channel
            var refusedOrLost = 0
            for round in 0..<rounds {
                let process = try await harness.start()
                let killAfter = Duration.milliseconds(Int.random(in: 200...3_000, using: &generator))
                let sent = try await withThrowingTaskGroup(of: [(String, String, HTTPResponseStatus?)].self) { group in
                    group.addTask {
                        var results: [(String, String, HTTPResponseStatus?)] = []
                        // Once the process is dead nothing more can be accepted; the HTTP client would only
                        // retry its connection until each request's deadline.
                        for index in 0..<perRound where process.isRunning {
                            let channel = "C_CRASH_R\(index % 10)"
                            let ts = "17000030\(String(format: "%02d", round)).\(String(format: "%06d", index))"
                            let status = await ProcessHarness.postEvent(
                                port: process.port,
                                body: ProcessHarness.mention("status PAYROLL_FINAL", channel: channel, ts: ts),
                                timeout: .seconds(3))
                            results.append((ts, channel, status))
                            try await Task.sleep(for: .milliseconds(40))
                        }
                        return results
                    }
                    group.addTask {
                        try await Task.sleep(for: killAfter)
                        try await process.killHard()
                        return []
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                for (ts, channel, status) in sent {
                    if status == .ok { accepted[ts] = channel } else { refusedOrLost += 1 }
                }
                try await process.killHard()
            }
            let last = try await harness.start()
            // Every thread started is not enough: an answer's later messages wait behind Slack's per-channel
            // pacing (1 s), so the run waits for as many messages as there are outbox rows.
            let rowsSQL = "SELECT COUNT(*) FROM chat_outbox WHERE channel LIKE 'C_CRASH_R%'"
            let answeredAll = await eventually(timeout: .seconds(200)) {
                let replies = await harness.replies(channelPrefix: "C_CRASH_R")
                let threads = Set(replies.compactMap(\.threadTS))
                let rows = (try? harness.count(rowsSQL)) ?? Int.max
                return accepted.keys.allSatisfy(threads.contains) && replies.count >= rows
            }
            try await Task.sleep(for: .seconds(2))
            try await last.stop()
            let replies = await harness.replies(channelPrefix: "C_CRASH_R")
            let byThread = Dictionary(grouping: replies, by: { $0.threadTS ?? "" })
            let missing = accepted.keys.filter { byThread[$0] == nil }.count
            // An answer may be several messages in its thread; the same message twice is a duplicate.
            let duplicated = byThread.values.filter { Set($0.map(\.body)).count < $0.count }.count
            let rows = try harness.count(rowsSQL)
            #expect(replies.count == rows, "\(replies.count) replies for \(rows) outbox rows")
            #expect(answeredAll)
            #expect(missing == 0)
            #expect(duplicated == 0)
            let clean = try await Self.expectNoCanary(in: harness)
            ReliabilityResults.record(
                suite: "crash recovery", name: "kill -9 at random points under load", count: accepted.count,
                passed: missing == 0 && duplicated == 0 && replies.count == rows && clean,
                figures: "\(rounds) kills; \(accepted.count) questions acked, \(refusedOrLost) cut off by the kill "
                    + "(not acked); \(missing) acked but unanswered, \(duplicated) answered twice, "
                    + "\(replies.count) messages sent for \(rows) outbox rows")
        }
    }
}
