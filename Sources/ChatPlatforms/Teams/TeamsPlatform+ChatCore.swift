import Foundation
import Logging
import ResyncCore

/// The Teams adapter for the chat core: outgoing-webhook verification and parsing, Adaptive Card rendering,
/// and delivery of outbox items (late answers, alerts) through the Workflows webhook.
public struct TeamsPlatform: ChatPlatform {
    public var kind: ChatPlatformKind { .teams }
    public let channelPacing: Duration

    /// Nil when only the Workflows webhook is configured: the platform then sends but accepts no request.
    let verifier: TeamsSignatureVerifier?
    let renderer: AdaptiveCardRenderer
    let workflows: TeamsWorkflowsClient?

    public init(
        verifier: TeamsSignatureVerifier?, workflows: TeamsWorkflowsClient?,
        renderer: AdaptiveCardRenderer = AdaptiveCardRenderer(), channelPacing: Duration = .seconds(1)
    ) {
        self.verifier = verifier
        self.workflows = workflows
        self.renderer = renderer
        self.channelPacing = channelPacing
    }

    public func verify(_ request: RawChatRequest, now: Date) throws(ChatRequestError) {
        guard let verifier else { throw .signatureMismatch }
        do throws(TeamsRequestError) {
            try verifier.verify(authorization: request.headers["authorization"], body: request.body)
        } catch {
            throw Self.map(error)
        }
    }

    public func parse(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound {
        do throws(TeamsRequestError) {
            let message = try TeamsActivityParser.parse(request.body, now: now)
            return .question(
                InboundWorkItem(question: message.inboundQuestion(receivedAt: now), replyInThread: true),
                onlyInBotThreads: false)
        } catch {
            throw Self.map(error)
        }
    }

    public func render(_ answer: Answer) -> [RenderedChatMessage] {
        [RenderedChatMessage(payload: TeamsMessage.card(renderer.card(for: answer)).serialized())]
    }

    public func render(notice: String) -> RenderedChatMessage {
        RenderedChatMessage(payload: TeamsMessage.card(renderer.card(notice: notice)).serialized())
    }

    /// Every outbox item goes to the Workflows channel: the lite integration cannot post in a thread.
    public func deliver(_ item: OutboxItem) async -> DeliveryOutcome {
        guard let workflows else { return .permanent(reason: "TEAMS_WORKFLOW_URL is not set") }
        switch await workflows.send(payload: item.payload) {
        case .delivered: return .sent(messageID: nil)
        case .rateLimited(let retryAfter): return .rateLimited(retryAfter: retryAfter)
        case .retryable(let reason): return .retryable(reason: "Workflows: \(reason)")
        case .permanent(let reason): return .permanent(reason: "Workflows: \(reason)")
        }
    }

    static func map(_ error: TeamsRequestError) -> ChatRequestError {
        switch error {
        case .missingAuthorization: .missingHeader("Authorization")
        case .unsupportedScheme: .unsupportedSignatureVersion
        case .signatureMismatch, .emptyBody: .signatureMismatch
        case .staleTimestamp: .staleTimestamp
        case .replayedActivity: .malformedBody("replayed activity")
        case .malformedBody(let detail): .malformedBody(detail)
        }
    }
}

/// The replay guard over the core's durable dedupe keys, shared by every replica. Fails closed: when the
/// store cannot be reached the activity is refused rather than risk answering it twice.
public struct ChatInboundTeamsReplayGuard: TeamsReplayGuard {
    let store: any ChatInboundStore
    let retention: TimeInterval

    public init(store: any ChatInboundStore, retention: TimeInterval = 24 * 3600) {
        self.store = store
        self.retention = retention
    }

    public func firstSighting(of activityID: String, at now: Date) async -> Bool {
        (try? await store.markSeen(
            key: "teams:\(activityID)", platform: .teams, until: now.addingTimeInterval(retention)))
            ?? false
    }
}

/// Late answers go through the durable outbox (sent once, retried, paced) instead of straight to Workflows,
/// queued with the question's completion when the question was recorded (see `TeamsQuestionJournal`).
public struct OutboxTeamsDeferredAnswerSink: TeamsDeferredAnswerSink {
    let outbox: any ChatOutboxStore
    let outboxSignal: WorkSignal
    let journal: TeamsQuestionJournal?
    let renderer: AdaptiveCardRenderer
    let time: any TimeSource
    let logger: Logger

    public init(
        outbox: any ChatOutboxStore, outboxSignal: WorkSignal, journal: TeamsQuestionJournal? = nil,
        renderer: AdaptiveCardRenderer = AdaptiveCardRenderer(),
        time: any TimeSource, logger: Logger
    ) {
        self.outbox = outbox
        self.outboxSignal = outboxSignal
        self.journal = journal
        self.renderer = renderer
        self.time = time
        self.logger = logger
    }

    public func deliver(_ answer: Answer, for message: TeamsInboundMessage) async {
        let context = WorkflowsDeferredAnswerSink.replyContext(for: message, language: answer.language)
        let payload = TeamsMessage.card(renderer.card(for: answer, replyContext: context)).serialized()
        let now = time.now()
        let item = OutboxItem(
            platform: .teams, channel: message.channelID, payload: payload, answerID: answer.id,
            jobName: answer.parsed.jobName, nextAttemptAt: now, createdAt: now)
        do {
            switch try await journal?.completeLate(message, reply: item, at: now) ?? .notRecorded {
            case .queued: break
            case .notRecorded: try await outbox.enqueue([item])
            case .takenOver:
                logger.warning("Teams question was taken over by the question processor; this answer is discarded")
                return
            }
            outboxSignal.ring()
        } catch {
            logger.error("Teams late answer could not be queued", metadata: ["error": "\(error)"])
        }
    }
}
