import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("Teams and Mattermost routes in the app")
struct ChatPlatformRoutesTests {
    static func routes(_ environment: [String: String]) throws -> [(method: String, path: String)] {
        var variables = environment
        variables["DATABASE_URL"] = "sqlite::memory:"
        let config = try AppConfig.load(environment: variables)
        let logger = TestLogging.quiet("test.chat-routes")
        let database = try AppDatabase(location: config.database, logger: logger)
        var dependencies = AppDependencies(
            config: config, database: database, registry: PrometheusCollectorRegistry(), readiness: [],
            services: [database], logger: logger)
        let chat = try ChatWiring.makeChat(
            slack: config.slack, teams: config.teams, mattermost: config.mattermost, database: database,
            answering: FakeQuestionAnswering(), accessPolicy: .allowAll, httpClient: TestHTTPClient.shared,
            logger: logger)
        ChatWiring.attach(chat, to: &dependencies)
        return ResyncApplication.buildRouter(dependencies).routes.map {
            (method: $0.method.rawValue.lowercased(), path: WebDocsAndChatTests.openAPIPath($0.path.description))
        }
    }

    @Test func teamsAndMattermostWithoutSlackBuildARuntimeWhoseRoutesAreDocumented() throws {
        let routes = try Self.routes([
            "TEAMS_OUTGOING_WEBHOOK_SECRET": TeamsSignatureTests.sampleKey.value,
            "MATTERMOST_URL": "http://127.0.0.1:1", "MATTERMOST_BOT_TOKEN": "bot-token",
            "MATTERMOST_SLASH_TOKEN": "slash-token",
        ])
        let chatRoutes = routes.filter { !$0.path.hasPrefix("/slack") && $0.method == "post" }.map(\.path)
        #expect(Set(chatRoutes).isSuperset(of: ["/teams/webhook", "/mattermost/command", "/mattermost/webhook"]))
        #expect(!routes.contains { $0.path.hasPrefix("/slack") })
        let documented = try WebDocsAndChatTests.openAPIPaths()
        for route in routes {
            #expect(documented[route.path]?[route.method] != nil, "\(route.method) \(route.path) is not documented")
        }
    }

    @Test func workflowsOnlyTeamsTakesNoQuestions() throws {
        let routes = try Self.routes(["TEAMS_WORKFLOW_URL": "https://example.com/workflows/x"])
        #expect(!routes.contains { $0.path == "/teams/webhook" })
    }

    @Test func noPlatformConfiguredBuildsNoRuntime() throws {
        let config = try AppConfig.load(environment: ["DATABASE_URL": "sqlite::memory:"])
        let logger = TestLogging.quiet("test.chat-routes")
        let database = try AppDatabase(location: config.database, logger: logger)
        let chat = try ChatWiring.makeChat(
            slack: nil, teams: nil, mattermost: nil, database: database, answering: FakeQuestionAnswering(),
            accessPolicy: .allowAll, httpClient: TestHTTPClient.shared, logger: logger)
        #expect(chat == nil)
    }
}
