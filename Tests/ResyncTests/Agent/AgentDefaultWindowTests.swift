import Agent
import Foundation
import ResyncCore
import TestSupport
import Testing

@testable import Web

/// The headlines name the failure window the agent used, not a fixed "24h".
@Suite("Agent: the default failure window is the one the headlines name")
struct AgentDefaultWindowTests {
    static func agent(window: Duration) -> Agent {
        let configuration = AgentConfiguration(
            timeZone: .gmt, defaultLanguage: .portuguese, defaultFailureWindow: window)
        return Agent(
            scheduler: AgentFixtures.scheduler(), knowledge: FakeKnowledgeStore(), memories: FakeMemoryStore(),
            configuration: configuration, time: FakeTimeSource(now: AgentFixtures.now), logger: AgentHarness.quietLogger
        )
    }

    @Test(
        "health and 'what failed' without a window",
        arguments: [
            (Duration.seconds(6 * 3_600), "6h"), (.seconds(24 * 3_600), "24h"), (.seconds(90 * 60), "90m"),
            (.seconds(2 * 86_400), "2d"),
        ])
    func headlinesNameTheWindow(window: Duration, label: String) async {
        let agent = Self.agent(window: window)
        let health = await agent.answer("health", context: QuestionContext())
        #expect(health.headline.contains("in the last \(label)"), "\(health.headline)")
        let failed = await agent.answer("o que falhou?", context: QuestionContext())
        #expect(failed.headline.contains("nas últimas \(label)"), "\(failed.headline)")
    }

    /// `GET /api/failures` without `since` labels its window the same way (it rounded to whole hours: 90 min read "2h").
    @Test(arguments: [(Duration.seconds(90 * 60), "90m"), (.seconds(24 * 3_600), "24h"), (.seconds(2 * 86_400), "2d")])
    func failuresRouteLabelsTheDefaultWindowTheSameWay(window: Duration, label: String) throws {
        let failureWindow = FailureWindow(
            parser: QuestionParser(), defaultWindow: window)
        let now = AgentFixtures.now
        let read = try failureWindow.window(nil, now: now)
        #expect(read.label == label)
        #expect(read.start == now.addingTimeInterval(-window.inSeconds))
    }
}
