import Foundation
import HWA
import Logging
import ResyncCore
import ServiceLifecycle
import TestSupport
import Testing

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

    @Test("a missing scenario file fails at start with its path")
    func missingScenario() throws {
        let config = try AppConfig.load(environment: [
            "TWS_MOCK_MODE": "true", "TWS_MOCK_DATA": "/nonexistent/scenario.json",
        ])
        #expect {
            _ = try SchedulerWiring.make(config: config, logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("/nonexistent/scenario.json")
        }
    }
}
