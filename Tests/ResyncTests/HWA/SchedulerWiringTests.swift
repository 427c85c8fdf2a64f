import Agent
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import TestSupport
import Testing

@testable import HWA
@testable import Web

@Suite("Scheduler wiring")
struct SchedulerWiringTests {
    @Test("mock mode: the real client reaches the embedded simulator over loopback, and /readyz's check passes")
    func mockMode() async throws {
        let config = try AppConfig.load(environment: [
            "TWS_MOCK_MODE": "true", "TWS_MOCK_DATA": SimulatorScenarios.defaultScenarioPath,
        ])
        var logger = Logger(label: "test.wiring")
        logger.logLevel = .warning
        let wiring = try SchedulerWiring.make(config: config, logger: logger)
        #expect(wiring.services.count == 2)
        #expect(wiring.readiness.name == "hwa")
        let group = ServiceGroup(configuration: .init(services: wiring.services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let jobs = try await wiring.scheduler.jobs(matching: JobFilter(name: "PAYROLL_FINAL"))
            #expect(jobs.first?.lastRun?.returnCode == 12)
            try await wiring.readiness.check()
        }
        // The client's service shuts its pool down; doing it again is harmless and covers a group cancelled
        // before the client's run() began.
        try await (wiring.scheduler as? HWAClient)?.shutdown()
    }

    /// A call the agent abandons at its answer deadline does not count for the circuit breaker, so the wired
    /// client must time out first: with the client's default bounds (10 s / 25 s) a hung HWA never opened the
    /// breaker and every question waited the agent's whole 8 s.
    @Test(
        "the wired HWA client gives up before the agent does",
        arguments: [
            ["TWS_MOCK_MODE": "true", "TWS_MOCK_DATA": SimulatorScenarios.defaultScenarioPath],
            [
                "TWS_MOCK_MODE": "false", "TWS_BASE_URL": "https://hwa.example.com:31116/twsd", "TWS_USER": "ops",
                "TWS_PASSWORD": "pw",
            ],
        ])
    func hwaBoundsAreInsideTheAnswerDeadline(environment: [String: String]) async throws {
        let config = try AppConfig.load(environment: environment)
        let wiring = try SchedulerWiring.make(config: config, logger: Logger(label: "test"))
        let client = try #require(wiring.scheduler as? HWAClient)
        let answerDeadline = AgentWiring.configuration(config).answerDeadline
        #expect(client.configuration.operationDeadline < answerDeadline)
        #expect(client.configuration.requestTimeout < client.configuration.operationDeadline)
        #expect(client.configuration.requestTimeout >= .seconds(2))
        try await client.shutdown()
    }

    @Test("a missing scenario file is a configuration error naming TWS_MOCK_DATA and its path")
    func missingScenario() throws {
        #expect {
            _ = try AppConfig.load(environment: [
                "TWS_MOCK_MODE": "true", "TWS_MOCK_DATA": "/nonexistent/scenario.json",
            ])
        } throws: { error in
            "\(error)".contains("TWS_MOCK_DATA: the simulator scenario '/nonexistent/scenario.json' does not exist")
        }
    }

    @Test("a scenario file removed after the configuration was read still fails at start with its path")
    func scenarioRemovedAfterConfiguration() throws {
        let folder = try TemporaryFolder.make()
        let path = folder.appendingPathComponent("scenario.json").path
        try FileManager.default.copyItem(atPath: SimulatorScenarios.defaultScenarioPath, toPath: path)
        let config = try AppConfig.load(environment: ["TWS_MOCK_MODE": "true", "TWS_MOCK_DATA": path])
        try FileManager.default.removeItem(atPath: path)
        #expect {
            _ = try SchedulerWiring.make(config: config, logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}
