import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// Builds the real application (router, middleware, chat services) on a fresh SQLite file from environment
/// variables, the way `resync serve` does, with a fake agent in place of the real one.
struct ChatAppHarness: Sendable {
    let environment: [String: String]
    let answering: any QuestionAnswering
    /// A fresh SQLite file unless given: a second harness on the same location is the same app restarted.
    let location: DatabaseLocation
    var policy = ChatAccessPolicy.allowAll
    /// Gives the chat runtime a memory store, which turns learning (`learn …`, ✅ on replies) on.
    var learns = false
    var options = ChatWiring.Options(
        processor: .init(concurrency: 4, pollInterval: .milliseconds(50)),
        outbox: .init(
            concurrency: 4, pollInterval: .milliseconds(50), maxAttempts: 4, initialBackoff: .milliseconds(200)),
        teamsReplyBudget: .seconds(3))

    init(environment: [String: String], answering: any QuestionAnswering, location: DatabaseLocation? = nil)
        async throws
    {
        self.environment = environment
        self.answering = answering
        if let location {
            self.location = location
        } else {
            self.location = try await TestDatabases.makeLocation(.sqlite)
        }
    }

    /// Runs the application (HTTP on an ephemeral port, with its services) while `body` runs.
    func withApp<T: Sendable>(
        _ body: @escaping @Sendable (any TestClientProtocol, ChatRuntime) async throws -> T
    ) async throws -> T {
        guard case .sqlite(let path) = location else { throw CancellationError() }
        var variables = environment
        variables["HTTP_HOST"] = "127.0.0.1"
        variables["HTTP_PORT"] = "0"
        variables["DATABASE_URL"] = "sqlite://\(path)"
        let config = try AppConfig.load(environment: variables)
        var logger = Logger(label: "test.chat-app")
        // Several tests provoke refusals on purpose; their logs would only be noise here.
        logger.logLevel = .critical
        let database = try AppDatabase(location: config.database, logger: logger)
        let (app, chat) = try await buildChatApplication(config: config, database: database, logger: logger) {
            try ChatWiring.makeChat(
                slack: config.slack, teams: config.teams, mattermost: config.mattermost, language: .english,
                database: database, answering: answering, accessPolicy: policy, options: options, httpClient: $0,
                memories: learns ? SQLMemoryStore(database: database, logger: logger) : nil, logger: logger)
        }
        return try await app.test(.live) { client in try await body(client, chat) }
    }
}

/// The application with the chat runtime `makeChat` builds, wired as `resync serve` wires it: the database and
/// the app's own outbound HTTP client (given to `makeChat`) come first among the services, so the client closes
/// its connections after the chat services have stopped.
func buildChatApplication(
    config: AppConfig, database: AppDatabase, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger, makeChat: (HTTPClient) throws -> ChatRuntime?
) async throws -> (some ApplicationProtocol, ChatRuntime) {
    try await OutboundHTTPClient.whileBuilding { outbound in
        var dependencies = AppDependencies(
            config: config, database: database, registry: registry, readiness: [], services: [database, outbound],
            logger: logger)
        let chat = try #require(try makeChat(outbound.client))
        ChatWiring.attach(chat, to: &dependencies)
        return (ResyncApplication.buildApplication(dependencies), chat)
    }
}
