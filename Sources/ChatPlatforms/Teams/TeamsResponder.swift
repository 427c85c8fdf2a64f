import Foundation
import Logging
import Metrics
import ResyncCore
import ServiceLifecycle
import Synchronization

/// What the outgoing-webhook route answers synchronously.
public enum TeamsSyncReply: Hashable, Sendable {
    /// The answer was ready within the budget: reply with its card.
    case answer(Answer)
    /// Not ready: reply "working on it"; the answer goes to the deferred sink when it is ready.
    case working
    /// Too many questions in progress (or shutting down): reply "busy"; nothing was started.
    case busy

    /// The JSON body of the HTTP 200 reply.
    public func body(renderer: AdaptiveCardRenderer, language: Language) -> TeamsJSON {
        switch self {
        case .answer(let answer): TeamsMessage.card(renderer.card(for: answer))
        case .working: TeamsMessage.text(AnswerPresentation(language: language).workingOnIt)
        case .busy: TeamsMessage.text(AnswerPresentation(language: language).busy)
        }
    }
}

/// Where an answer that missed the reply budget is delivered (the Workflows webhook, through the outbox
/// once the chat core is wired).
public protocol TeamsDeferredAnswerSink: Sendable {
    func deliver(_ answer: Answer, for message: TeamsInboundMessage) async
}

/// Races each answer against Teams' 5-second reply limit. Answers are computed inside this service's task
/// group (bounded by `maximumInFlight`), so a question outlives the HTTP request that asked it without an
/// unstructured task; run the responder in the ServiceGroup. On graceful shutdown it stops taking
/// questions and finishes the ones already started.
public final class TeamsResponder: Service, Sendable {
    private struct PendingAnswer: Sendable {
        var message: TeamsInboundMessage
        var answer: @Sendable () async -> Answer
        var handoff: AnswerHandoff
    }

    public let maximumInFlight: Int
    private let sink: any TeamsDeferredAnswerSink
    private let time: any TimeSource
    private let logger: Logger
    private let pending: AsyncStream<PendingAnswer>
    private let pendingInput: AsyncStream<PendingAnswer>.Continuation
    private let inFlight = Mutex(0)

    public init(
        sink: any TeamsDeferredAnswerSink, maximumInFlight: Int = 32, time: any TimeSource = SystemTimeSource(),
        logger: Logger
    ) {
        self.sink = sink
        self.maximumInFlight = max(1, maximumInFlight)
        self.time = time
        self.logger = logger
        (pending, pendingInput) = AsyncStream.makeStream(of: PendingAnswer.self)
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                // Finishing the input on shutdown still yields what was queued before it, and the group
                // waits for the answers in progress.
                for await job in pending {
                    group.addTask { await self.work(job) }
                }
            }
        } onGracefulShutdown: {
            self.pendingInput.finish()
        }
    }

    /// Starts `answer` and waits at most `budget` for it. Called by `POST /teams/webhook` after verification;
    /// a late answer is handed to the sink instead, so the question is answered exactly once.
    public func respond(
        within budget: Duration, for message: TeamsInboundMessage, answer: @escaping @Sendable () async -> Answer
    ) async -> TeamsSyncReply {
        let reserved = inFlight.withLock { (count: inout Int) -> Bool in
            guard count < maximumInFlight else { return false }
            count += 1
            return true
        }
        guard reserved else {
            Self.count(.busy)
            return .busy
        }
        let handoff = AnswerHandoff()
        if case .terminated = pendingInput.yield(PendingAnswer(message: message, answer: answer, handoff: handoff)) {
            inFlight.withLock { $0 -= 1 }
            Self.count(.busy)
            return .busy
        }
        let ready = await withTaskGroup(of: Void.self) { group -> Answer? in
            group.addTask { await handoff.waitForAnswer() }
            group.addTask { try? await self.time.sleep(for: budget) }
            _ = await group.next()
            group.cancelAll()
            // Decided under the handoff's isolation, so the answer goes to exactly one of reply or sink.
            return await handoff.settle()
        }
        let reply = ready.map(TeamsSyncReply.answer) ?? .working
        Self.count(reply)
        return reply
    }

    private static func count(_ reply: TeamsSyncReply) {
        let kind =
            switch reply {
            case .answer: "answer"
            case .working: "working"
            case .busy: "busy"
            }
        Counter(label: "resync_teams_replies_total", dimensions: [("kind", kind)]).increment()
    }

    /// Questions started and not yet answered.
    public var questionsInFlight: Int { inFlight.withLock { $0 } }

    private func work(_ job: PendingAnswer) async {
        let answer = await job.answer()
        if await !job.handoff.deliver(answer) {
            logger.debug("Teams answer missed the reply budget; delivering it later")
            await sink.deliver(answer, for: job.message)
        }
        inFlight.withLock { $0 -= 1 }
    }
}

/// Hands one answer either to the waiting route (in time) or to the deferred path (too late), never both.
actor AnswerHandoff {
    private enum State {
        case pending
        case delivered(Answer)
        case deferred
    }

    private var state = State.pending
    private var waiter: CheckedContinuation<Void, Never>?

    /// Returns once the answer arrived or the route stopped waiting.
    func waitForAnswer() async {
        guard case .pending = state else { return }
        await withCheckedContinuation { waiter = $0 }
    }

    /// Offers the answer; true when the route will reply with it, false when it must be sent later.
    func deliver(_ answer: Answer) -> Bool {
        switch state {
        case .pending:
            state = .delivered(answer)
            resumeWaiter()
            return true
        case .delivered:
            return true
        case .deferred:
            return false
        }
    }

    /// The route's final word: the answer if it arrived, else nil and the answer is deferred.
    func settle() -> Answer? {
        switch state {
        case .delivered(let answer):
            return answer
        case .pending:
            state = .deferred
            resumeWaiter()
            return nil
        case .deferred:
            return nil
        }
    }

    private func resumeWaiter() {
        waiter?.resume()
        waiter = nil
    }
}

/// Posts a late answer to the Workflows webhook as a card that names the question, because Workflows
/// posts are not threaded under it.
public struct WorkflowsDeferredAnswerSink: TeamsDeferredAnswerSink {
    private let client: TeamsWorkflowsClient
    private let renderer: AdaptiveCardRenderer
    private let logger: Logger

    public init(client: TeamsWorkflowsClient, renderer: AdaptiveCardRenderer = AdaptiveCardRenderer(), logger: Logger) {
        self.client = client
        self.renderer = renderer
        self.logger = logger
    }

    public func deliver(_ answer: Answer, for message: TeamsInboundMessage) async {
        let card = renderer.card(for: answer, replyContext: Self.replyContext(for: message, language: answer.language))
        do {
            try await client.post(TeamsMessage.card(card))
        } catch {
            logger.error("Teams late answer was not delivered", metadata: ["error": "\(error)"])
        }
    }

    /// "In reply to Ana: “status JOB1”", shortened to keep the card small.
    public static func replyContext(for message: TeamsInboundMessage, language: Language) -> String {
        let who = message.userName ?? message.userID
        let question = message.text.count > 200 ? String(message.text.prefix(200)) + "…" : message.text
        return language == .portuguese ? "Em resposta a \(who): “\(question)”" : "In reply to \(who): “\(question)”"
    }
}
