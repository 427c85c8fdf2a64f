import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle
import Storage
import TestSupport
import Testing

@Suite("Ingress load: the processor steps aside while deliveries storm in")
struct IngressLoadTests {
    static let start = ContinuousClock.now

    @Test func aFewDeliveriesAreNoStorm() {
        let load = IngressLoad(options: .init(window: .milliseconds(250), busyAt: 50), now: Self.start)
        for step in 0..<49 { load.noteDelivery(at: Self.start + .milliseconds(step)) }
        #expect(!load.isBusy(at: Self.start + .milliseconds(100)))
        load.noteDelivery(at: Self.start + .milliseconds(101))
        #expect(load.isBusy(at: Self.start + .milliseconds(102)))
    }

    @Test func aStormIsRememberedForOneWindowThenForgotten() {
        let load = IngressLoad(options: .init(window: .milliseconds(250), busyAt: 10), now: Self.start)
        for _ in 0..<10 { load.noteDelivery(at: Self.start + .milliseconds(10)) }
        // The next window still counts the previous one...
        #expect(load.isBusy(at: Self.start + .milliseconds(300)))
        // ...but a quiet window in between ends the storm.
        #expect(!load.isBusy(at: Self.start + .milliseconds(900)))
    }

    /// During a storm the processor answers one question at a time and rests between answers; once the storm is
    /// over it drains the backlog at full concurrency. Nothing is lost either way.
    @Test func theProcessorAnswersOneAtATimeDuringAStormAndCatchesUpAfter() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let inbound = SQLChatInboundStore(database: database)
            let load = IngressLoad(options: .init(window: .milliseconds(200), busyAt: 5))
            let answering = ConcurrencyProbe(delay: .milliseconds(20))
            let slack = try SlackPlatform(
                signingSecret: Secret("storm-secret"), botToken: nil, apiBaseURL: "http://127.0.0.1:9/api",
                logger: Logger(label: "test.storm"))
            let processor = ChatQuestionProcessor(
                platforms: [slack], inbound: inbound, threads: SQLChatThreadContextStore(database: database),
                answering: answering, policy: .allowAll, signal: WorkSignal(), outboxSignal: WorkSignal(), load: load,
                options: .init(concurrency: 4, pollInterval: .milliseconds(20), stormShare: 0.5),
                time: SystemTimeSource(), logger: Logger(label: "test.storm"))
            for index in 0..<40 {
                _ = try await inbound.accept(Self.question("storm:\(index)"), dedupeUntil: Date() + 3600)
            }
            // The questions arrived in a storm that is still going on when the processor starts.
            for _ in 0..<5 { load.noteDelivery() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await processor.run() }
                // Keep the ingress busy for 400 ms, then go quiet.
                let stormEnds = ContinuousClock.now + .milliseconds(400)
                while ContinuousClock.now < stormEnds {
                    load.noteDelivery()
                    try await Task.sleep(for: .milliseconds(5))
                }
                let duringStorm = await answering.snapshot()
                #expect(duringStorm.maxInFlight == 1, "\(duringStorm)")
                #expect(duringStorm.answered < 40, "\(duringStorm)")
                #expect(await eventually(timeout: .seconds(30)) { await answering.snapshot().answered == 40 })
                #expect(await answering.snapshot().maxInFlight > 1)
                group.cancelAll()
            }
        }
    }

    static func question(_ key: String) -> InboundWorkItem {
        InboundWorkItem(
            question: InboundQuestion(
                dedupeKey: key, text: "status PAYROLL_FINAL", user: "U1",
                conversation: ConversationRef(platform: .slack, channel: "C1", thread: nil, message: key),
                receivedAt: Date()),
            replyInThread: true)
    }
}

/// Answers after `delay`, recording how many answers ran at once.
actor ConcurrencyProbe: QuestionAnswering {
    struct Snapshot: Sendable { var answered = 0, inFlight = 0, maxInFlight = 0 }
    let delay: Duration
    private var state = Snapshot()

    init(delay: Duration) { self.delay = delay }

    func snapshot() -> Snapshot { state }

    private func begin() {
        state.inFlight += 1
        state.maxInFlight = max(state.maxInFlight, state.inFlight)
    }

    private func end() {
        state.inFlight -= 1
        state.answered += 1
    }

    nonisolated func answer(_ question: String, context: QuestionContext) async -> Answer {
        await begin()
        try? await Task.sleep(for: delay)
        await end()
        return FakeQuestionAnswering.makeAnswer(question, context: context)
    }
}
