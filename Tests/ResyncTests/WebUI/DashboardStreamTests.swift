import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport
import Testing
import Web

/// The event stream over a real socket: a snapshot on connect, an update when the plan changes, heartbeats,
/// and no repeat of a snapshot the client already has (Last-Event-ID).
@Suite("Dashboard event stream over HTTP")
struct DashboardStreamTests {
    @Test func snapshotThenUpdateWhenTheSchedulerChanges() async throws {
        try await WebHarness.with { harness in
            await harness.web.poller.refresh()
            let cookie = try await Self.sessionCookie(harness)
            try await harness.application().test(.live) { client in
                let port = try #require(client.port)
                try await withDeadline(.seconds(60)) {
                    try await Self.followUpdates(harness, port: port, cookie: cookie)
                }
            }
        }
    }

    static func followUpdates(_ harness: WebHarness, port: Int, cookie: String) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/dashboard/events?lang=en")
        request.headers.add(name: "Cookie", value: "\(WebAuth.sessionCookieName)=\(cookie)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
        var reader = SSEReader(body: response.body)

        let first = try #require(try await reader.nextEvent(named: "snapshot"))
        #expect(first.data.contains("PAYROLL_FINAL"))
        #expect(!first.data.contains("BILLING_EXPORT"))
        let firstID = try #require(first.id)

        let now = harness.clock.now()
        await harness.scheduler.setJobs(
            WebHarness.sampleJobs(now: now) + [
                WebFakeScheduler.job("BILLING_EXPORT", status: .error, internal: .fail, returnCode: 4, endedAt: now)
            ])
        await harness.web.poller.refresh()
        let second = try #require(try await reader.nextEvent(named: "snapshot"))
        #expect(second.data.contains("BILLING_EXPORT"))
        #expect(second.id != firstID)

        await harness.web.hub.heartbeat()
        #expect(try await reader.nextComment() == "heartbeat")
    }

    @Test func reconnectWithTheCurrentIDIsNotSentItAgain() async throws {
        try await WebHarness.with { harness in
            let current = await harness.web.poller.refresh()
            let cookie = try await Self.sessionCookie(harness)
            try await harness.application().test(.live) { client in
                let port = try #require(client.port)
                try await withDeadline(.seconds(60)) {
                    try await Self.reconnect(harness, port: port, cookie: cookie, currentID: current.id)
                }
            }
        }
    }

    static func reconnect(_ harness: WebHarness, port: Int, cookie: String, currentID: String) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/dashboard/events")
        request.headers.add(name: "Cookie", value: "\(WebAuth.sessionCookieName)=\(cookie)")
        request.headers.add(name: "Last-Event-ID", value: currentID)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var reader = SSEReader(body: response.body)
        // Nothing but the retry hint until something new happens; then the heartbeat arrives first.
        await harness.web.hub.heartbeat()
        #expect(try await reader.nextComment() == "heartbeat")
        await harness.web.poller.refresh()
        let next = try #require(try await reader.nextEvent(named: "snapshot"))
        #expect(next.id != currentID)
        #expect(reader.skippedSnapshots == 0)
    }

    static func sessionCookie(_ harness: WebHarness) async throws -> String {
        guard
            case .success(_, let cookie) = try await harness.web.auth.login(
                user: "admin", password: WebHarness.adminPassword, address: "127.0.0.1")
        else { throw SSEReader.Failure.loginFailed }
        return cookie.value
    }
}

/// Reads Server-Sent Events from a streaming AsyncHTTPClient body.
struct SSEReader {
    enum Failure: Error { case loginFailed, streamEnded }

    struct Event {
        var id: String?
        var name: String?
        var data: String
        var comment: String?
    }

    var iterator: HTTPClientResponse.Body.AsyncIterator
    var pending = ""
    var skippedSnapshots = 0

    init(body: HTTPClientResponse.Body) { iterator = body.makeAsyncIterator() }

    /// The next block separated by a blank line, parsed.
    mutating func nextBlock() async throws -> Event {
        while true {
            if let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                var event = Event(data: "")
                var dataLines: [String] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("id: ") {
                        event.id = String(line.dropFirst(4))
                    } else if line.hasPrefix("event: ") {
                        event.name = String(line.dropFirst(7))
                    } else if line.hasPrefix("data: ") {
                        dataLines.append(String(line.dropFirst(6)))
                    } else if line.hasPrefix(": ") {
                        event.comment = String(line.dropFirst(2))
                    }
                }
                event.data = dataLines.joined(separator: "\n")
                return event
            }
            guard let buffer = try await iterator.next() else { throw Failure.streamEnded }
            pending += String(buffer: buffer)
        }
    }

    mutating func nextEvent(named name: String) async throws -> Event? {
        for _ in 0..<20 {
            let block = try await nextBlock()
            if block.name == name { return block }
        }
        return nil
    }

    mutating func nextComment() async throws -> String? {
        for _ in 0..<20 {
            let block = try await nextBlock()
            if block.name == "snapshot" { skippedSnapshots += 1 }
            if let comment = block.comment { return comment }
        }
        return nil
    }
}
