import ChatPlatforms
import Foundation
import Logging
import Monitor
import Prometheus
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("Monitor wiring")
struct MonitorWiringTests {
    @Test("the ops channels of every configured platform are the default destinations")
    func defaultDestinations() throws {
        let config = try AppConfig.load(environment: [
            "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_OPS_CHANNEL": "C0OPS",
            "MATTERMOST_URL": "http://127.0.0.1:8065", "MATTERMOST_BOT_TOKEN": "t",
            "MATTERMOST_OPS_CHANNEL_ID": "mmops",
            "TEAMS_WORKFLOW_URL": "https://example.com/workflow",
        ])
        #expect(
            MonitorWiring.defaultDestinations(config) == [
                AlertDestination(platform: .slack, channel: "C0OPS"),
                AlertDestination(platform: .teams, channel: "workflow"),
                AlertDestination(platform: .mattermost, channel: "mmops"),
            ])
        #expect(MonitorWiring.defaultDestinations(try AppConfig.load(environment: [:])).isEmpty)
    }

    @Test("a broken rules file stops the start with a message naming it")
    func brokenRules() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json").path
        try Data(##"{"routes": [{"name": "x", "match": {}, "channels": {"irc": ["#a"]}}]}"##.utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await TestDatabases.withDatabase(.sqlite) { database in
            let config = try AppConfig.load(environment: [:])
            let error = #expect(throws: MonitorConfigError.self) {
                _ = try MonitorWiring.makeMonitor(
                    config: config, database: database, scheduler: ScriptedScheduler(), diagnoser: KnowledgeDiagnoser(),
                    publisher: RecordingAlertPublisher(), rulesPath: path, logger: Logger(label: "test"))
            }
            let message = error.map { "\($0)" } ?? ""
            #expect(message.contains(path) && message.contains("unknown platform 'irc'"), "\(message)")
        }
    }
    @Test("MONITOR_RULES_PATH defaults to Config/alert-routes.json and is read from the environment")
    func rulesPathSetting() throws {
        #expect(try AppConfig.load(environment: [:]).monitorRulesPath == MonitorWiring.defaultRulesPath)
        let config = try AppConfig.load(environment: ["MONITOR_RULES_PATH": "/etc/resync/routes.json"])
        #expect(config.monitorRulesPath == "/etc/resync/routes.json")
        #expect(config.redactedLines.contains("MONITOR_RULES_PATH=/etc/resync/routes.json"))
    }

    @Test("with a chat runtime the monitor joins the services and receives alert-thread replies; without, nothing")
    func attachToTheApplication() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            var logger = Logger(label: "test.monitor-wiring")
            logger.logLevel = .critical
            let withoutChat = try AppConfig.load(environment: [:])
            var plain = AppDependencies(
                config: withoutChat, database: database, registry: PrometheusCollectorRegistry(), readiness: [],
                services: [], logger: logger)
            try MonitorWiring.attach(to: &plain, diagnoser: KnowledgeDiagnoser(), logger: logger)
            #expect(plain.services.isEmpty)

            let config = try AppConfig.load(environment: [
                "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_OPS_CHANNEL": "C0OPS",
                "MONITOR_RULES_PATH": "/nonexistent/alert-routes-\(UUID().uuidString).json",
            ])
            var dependencies = AppDependencies(
                config: config, database: database, registry: PrometheusCollectorRegistry(), readiness: [],
                services: [], logger: logger)
            let chat = try ChatWiring.makeChat(
                slack: config.slack, database: database, answering: FakeQuestionAnswering(), accessPolicy: .allowAll,
                options: ChatWiring.Options(runProcessor: false, runOutboxWorker: false),
                httpClient: TestHTTPClient.shared, logger: logger)
            ChatWiring.attach(chat, to: &dependencies)
            #expect(dependencies.chat?.ingress.alertReplies == nil)
            try MonitorWiring.attach(to: &dependencies, diagnoser: KnowledgeDiagnoser(), logger: logger)
            #expect(dependencies.services.count == 1)
            #expect(dependencies.chat?.ingress.alertReplies != nil)
        }
    }
}
