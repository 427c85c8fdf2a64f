import AsyncHTTPClient
import ChatPlatforms
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import ResyncCore
import TestSupport

/// Drives a real `resync serve` process: its environment (every secret a canary), health checks, signed
/// Slack events over loopback, and reads of its SQLite file.
struct ProcessHarness: Sendable {
    static let canaries = [
        "canary-signing-secret-c4f1", "xoxb-canary-bot-token-77ab", "canary-llm-key-3e9d", "canary-tws-password-a0b2",
    ]
    static let signingSecret = Secret(canaries[0])

    let folder: URL
    let slack: FakeSlackServer

    init(slack: FakeSlackServer) throws {
        self.slack = slack
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var databasePath: String { folder.appendingPathComponent("resync.sqlite").path }
    var logURL: URL { folder.appendingPathComponent("resync.log") }

    /// Runs in its own folder, so the repository's Config/access.json (with its alert channels) does not apply
    /// and the fake Slack sees answers only.
    var environment: [String: String] {
        let root = RepositoryPaths.root
        return [
            "DATABASE_URL": "sqlite://\(databasePath)", "LOG_LEVEL": "info",
            "KNOWLEDGE_BASE_PATH": root.appendingPathComponent("Config/knowledge_base.xlsx").path,
            "TWS_MOCK_DATA": root.appendingPathComponent("Config/mock_tws_data.json").path,
            "TWS_USER": "resync_ro", "TWS_PASSWORD": Self.canaries[3], "LLM_API_KEY": Self.canaries[2],
            "SLACK_SIGNING_SECRET": Self.canaries[0], "SLACK_BOT_TOKEN": Self.canaries[1],
            "SLACK_API_BASE_URL": slack.apiBaseURL,
        ]
    }

    func start(extra: [String: String] = [:]) async throws -> ResyncProcess {
        let process = try ResyncProcess(
            environment: environment.merging(extra) { _, new in new }, logURL: logURL, directory: folder)
        guard try await Self.waitUntilHealthy(process) else {
            throw ProcessHarnessError.notHealthy(log: String(process.log.suffix(2_000)))
        }
        return process
    }

    static func healthy(port: Int, timeout: TimeAmount = .seconds(2)) async -> Bool {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
        request.method = .GET
        return (try? await HTTPClient.shared.execute(request, timeout: timeout).status) == .ok
    }

    static func waitUntilHealthy(_ process: ResyncProcess, within limit: Duration = .seconds(90)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline && process.isRunning {
            if await healthy(port: process.port, timeout: .seconds(1)) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// An `app_mention` in `channel` at `ts`: answered in the thread `ts`.
    static func mention(_ text: String, channel: String, ts: String) -> String {
        SlackHarness.mention(text, channel: channel, ts: ts, eventID: "Ev\(channel)\(ts)")
    }

    /// Posts a signed event; nil when the connection failed (the process died under it).
    static func postEvent(
        port: Int, body: String, secret: Secret = signingSecret, timeout: TimeAmount = .seconds(15)
    ) async -> HTTPResponseStatus? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/slack/events")
        request.method = .POST
        let ts = String(Int(Date().timeIntervalSince1970))
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Slack-Request-Timestamp", value: ts)
        request.headers.add(
            name: "X-Slack-Signature",
            value: SlackSignatureVerifier.signature(secret: secret, timestamp: ts, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        return try? await HTTPClient.shared.execute(request, timeout: timeout).status
    }

    /// The bodies of `GET` on `paths` (metrics, readiness…), for the canary check.
    static func bodies(port: Int, paths: [String]) async -> String {
        var texts: [String] = []
        for path in paths {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)),
                let body = try? await response.body.collect(upTo: 8 << 20)
            {
                texts.append(String(buffer: body))
            }
        }
        return texts.joined(separator: "\n")
    }

    /// Successful `chat.postMessage` calls in channels starting with `prefix`.
    func replies(channelPrefix prefix: String) async -> [FakeSlackCall] {
        await slack.state.calls("chat.postMessage").filter {
            $0.reply == .ok && ($0.channel ?? "").hasPrefix(prefix)
        }
    }

    /// A scalar read from the process's SQLite file (WAL: safe while the process runs).
    func count(_ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: databasePath)
        return try queue.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    /// Every text the process wrote or sent: its log, the outbox rows, the bodies the fake Slack received.
    func everythingVisible() async throws -> String {
        let queue = try DatabaseQueue(path: databasePath)
        let rows = try await queue.read {
            try String.fetchAll($0, sql: "SELECT payload || COALESCE(last_error, '') FROM chat_outbox")
        }
        let calls = await slack.state.calls
        let bodies = calls.map(\.body)
        return ([(try? String(contentsOf: logURL, encoding: .utf8)) ?? ""] + rows + bodies).joined(separator: "\n")
    }

    func removeFolder() { try? FileManager.default.removeItem(at: folder) }
}

enum ProcessHarnessError: Error, CustomStringConvertible {
    case notHealthy(log: String)

    var description: String {
        switch self {
        case .notHealthy(let log): "resync serve did not become healthy; log tail:\n\(log)"
        }
    }
}
