import ChatPlatforms
import Foundation
import ResyncCore
import ServiceLifecycle
import TestSupport
import Testing

/// Records late answers instead of posting them.
actor RecordingDeferredSink: TeamsDeferredAnswerSink {
    private(set) var delivered: [(answerID: String, activityID: String)] = []

    func deliver(_ answer: Answer, for message: TeamsInboundMessage) {
        delivered.append((answer.id, message.activityID))
    }
}

@Suite("Teams responder lifecycle")
struct TeamsResponderShutdownTests {
    @Test func gracefulShutdownFinishesAnswersInProgressAndRefusesNewOnes() async throws {
        let sink = RecordingDeferredSink()
        let responder = TeamsResponder(sink: sink, logger: TestLogging.quiet("teams-responder"))
        let group = ServiceGroup(
            configuration: .init(services: [responder], logger: TestLogging.quiet("teams-responder-group")))
        let message = try TeamsActivityParser.parse(TeamsResponderTests.activity(id: "shutdown-1"), now: Date())
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let reply = await responder.respond(within: .milliseconds(50), for: message) {
                try? await Task.sleep(for: .milliseconds(500))
                return ChatAnswerSamples.statusAnswer()
            }
            #expect(reply == .working)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // The answer that was in progress at shutdown was still delivered before the service stopped.
        let delivered = await sink.delivered
        #expect(delivered.map(\.activityID) == ["shutdown-1"])
        #expect(responder.questionsInFlight == 0)
        let late = await responder.respond(within: .milliseconds(50), for: message) { ChatAnswerSamples.statusAnswer() }
        #expect(late == .busy)
    }
}
