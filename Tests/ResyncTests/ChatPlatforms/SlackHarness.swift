import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// Builds the real application (router, middleware, chat services) on a SQLite file, wired to a fake
/// Slack Web API and a fake agent, and signs requests the way Slack does.
struct SlackHarness: Sendable {
    static let secret = Secret("8f742231b10e8888abcd99yyyzzz85a5")
    static let botUserID = "UBOT"

    let slack: FakeSlackServer
    let answering: any QuestionAnswering
    let location: DatabaseLocation
    var policy = ChatAccessPolicy.allowAll
    /// What the dashboard would show of this app's answers and feedback.
    let activity = BotActivityMeter()
    var options = ChatWiring.Options(
        processor: .init(concurrency: 4, pollInterval: .milliseconds(50)),
        outbox: .init(
            concurrency: 4, pollInterval: .milliseconds(50), maxAttempts: 4, initialBackoff: .milliseconds(200)),
        slackChannelPacing: .milliseconds(50), slackRequestTimeout: .seconds(5))

    init(slack: FakeSlackServer, answering: any QuestionAnswering, location: DatabaseLocation? = nil) async throws {
        self.slack = slack
        self.answering = answering
        if let location {
            self.location = location
        } else {
            self.location = try await TestDatabases.makeLocation(.sqlite)
        }
    }

    /// Runs the application (HTTP on an ephemeral port, with its services) while `body` runs.
    func withApp<T: Sendable>(
        _ setup: TestingSetup = .live,
        _ body: @escaping @Sendable (any TestClientProtocol, ChatRuntime) async throws -> T
    ) async throws -> T {
        guard case .sqlite(let path) = location else { throw CancellationError() }
        let config = try AppConfig.load(environment: [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", "DATABASE_URL": "sqlite://\(path)",
            "SLACK_SIGNING_SECRET": Self.secret.value, "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_API_BASE_URL": slack.apiBaseURL,
        ])
        var logger = Logger(label: "test.slack-app")
        // Several tests provoke refusals on purpose; their error logs would only be noise here.
        logger.logLevel = .critical
        let database = try AppDatabase(location: config.database, logger: logger)
        let (app, chat) = try await buildChatApplication(config: config, database: database, logger: logger) {
            try ChatWiring.makeChat(
                slack: config.slack, database: database, answering: answering, accessPolicy: policy,
                options: options, httpClient: $0, activity: activity, logger: logger)
        }
        return try await app.test(setup) { client in try await body(client, chat) }
    }

    // MARK: Signed requests

    static func signedHeaders(_ body: String, contentType: String, timestamp: Date = Date()) -> HTTPFields {
        let ts = String(Int(timestamp.timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] = ts
        headers[HTTPField.Name("X-Slack-Signature")!] = SlackSignatureVerifier.signature(
            secret: secret, timestamp: ts, body: Array(body.utf8))
        return headers
    }

    static func postEvent(_ client: any TestClientProtocol, _ body: String, retry: Int? = nil) async throws
        -> TestResponse
    {
        var headers = signedHeaders(body, contentType: "application/json")
        if let retry {
            headers[HTTPField.Name("X-Slack-Retry-Num")!] = String(retry)
            headers[HTTPField.Name("X-Slack-Retry-Reason")!] = "http_timeout"
        }
        return try await client.execute(
            uri: "/slack/events", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func postForm(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)]) async throws
        -> TestResponse
    {
        let body = formEncoded(fields)
        return try await client.execute(
            uri: path, method: .post, headers: signedHeaders(body, contentType: "application/x-www-form-urlencoded"),
            body: ByteBuffer(string: body))
    }

    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    static func slashCommand(
        _ text: String, channel: String = "C_OPS", trigger: String = UUID().uuidString, responseURL: String
    )
        -> [(String, String)]
    {
        [
            ("token", "legacy"), ("team_id", "T1"), ("channel_id", channel), ("user_id", "U_OPERATOR"),
            ("command", "/resync"), ("text", text), ("response_url", responseURL), ("trigger_id", trigger),
        ]
    }

    static func mention(_ text: String, channel: String = "C_OPS", ts: String, thread: String? = nil, eventID: String)
        -> String
    {
        let threadField = thread.map { #","thread_ts":"\#($0)""# } ?? ""
        return
            #"{"type":"event_callback","team_id":"T1","event_id":"\#(eventID)","event_time":1,"authorizations":[{"user_id":"\#(botUserID)","is_bot":true}],"event":{"type":"app_mention","text":"<@\#(botUserID)> \#(text)","user":"U_OPERATOR","ts":"\#(ts)","channel":"\#(channel)"\#(threadField)}}"#
    }

    static func threadMessage(_ text: String, channel: String = "C_OPS", ts: String, thread: String, eventID: String)
        -> String
    {
        #"{"type":"event_callback","team_id":"T1","event_id":"\#(eventID)","event_time":1,"authorizations":[{"user_id":"\#(botUserID)","is_bot":true}],"event":{"type":"message","channel_type":"channel","text":"\#(text)","user":"U_OPERATOR","ts":"\#(ts)","thread_ts":"\#(thread)","channel":"\#(channel)"}}"#
    }

    static func reaction(_ name: String, channel: String = "C_OPS", ts: String, added: Bool = true) -> String {
        #"{"type":"event_callback","team_id":"T1","event_id":"Ev\#(UUID().uuidString.prefix(8))","event_time":1,"event":{"type":"\#(added ? "reaction_added" : "reaction_removed")","user":"U_REVIEWER","reaction":"\#(name)","item_user":"\#(botUserID)","item":{"type":"message","channel":"\#(channel)","ts":"\#(ts)"},"event_ts":"2.2"}}"#
    }
}

/// The outbox item that posted `ts`, once the worker has recorded it as sent.
func sentItem(_ chat: ChatRuntime, channel: String = "C_OPS", ts: String) async throws -> OutboxItem {
    var found: OutboxItem?
    _ = try await eventually {
        found = try await chat.outbox.sentItem(platform: .slack, channel: channel, messageID: ts)
        return found != nil
    }
    return try #require(found)
}
