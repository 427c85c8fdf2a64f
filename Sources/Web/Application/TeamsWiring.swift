import AsyncHTTPClient
import ChatPlatforms
import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// The Teams half of the chat runtime: the outbox platform (Workflows delivery) and, when the outgoing webhook
/// secret is set, what `POST /teams/webhook` needs to answer within Teams' 5-second limit.
public struct TeamsChat: Sendable {
    public let platform: TeamsPlatform
    /// Nil when only `TEAMS_WORKFLOW_URL` is set (alerts only; no route).
    public let receiver: TeamsWebhookReceiver?
    public let responder: TeamsResponder
    /// Keeps the questions the route answers in the durable inbound queue until they are answered.
    let journal: TeamsQuestionJournal
    let answerer: TeamsGatedAnswering
    /// Learns `learn <solution>` typed in a reply chain (set when memories are configured).
    var learner: KnownSolutionLearner?
    let renderer: AdaptiveCardRenderer
    let replyBudget: Duration
    let language: Language
}

/// What the Teams wiring shares with the rest of the chat runtime.
struct ChatCoreParts: Sendable {
    let inbound: any ChatInboundStore
    let outbox: any ChatOutboxStore
    let threads: any ChatThreadContextStore
    let outboxSignal: WorkSignal
    let answering: any QuestionAnswering
    let accessPolicy: ChatAccessPolicy
    let activity: (any BotActivityRecording)?
    let time: any TimeSource
    let httpClient: HTTPClient
    let logger: Logger
}

enum TeamsWiring {
    static func make(_ config: AppConfig.Teams, language: Language, core: ChatCoreParts, replyBudget: Duration) throws
        -> TeamsChat
    {
        var logger = core.logger
        logger[metadataKey: "platform"] = "teams"
        let verifier = try config.outgoingWebhookSecret.map { secret throws(TeamsConfigurationError) in
            try TeamsSignatureVerifier(secret: secret)
        }
        let workflows = try config.workflowURL.map { url throws(TeamsConfigurationError) in
            TeamsWorkflowsClient(
                configuration: try TeamsWorkflowsClient.Configuration(url: url), httpClient: core.httpClient,
                time: core.time, logger: logger)
        }
        let renderer = AdaptiveCardRenderer()
        let platform = TeamsPlatform(verifier: verifier, workflows: workflows, renderer: renderer)
        let receiver = verifier.map {
            TeamsWebhookReceiver(verifier: $0, replayGuard: ChatInboundTeamsReplayGuard(store: core.inbound))
        }
        let journal = TeamsQuestionJournal(inbound: core.inbound, logger: logger)
        let sink = OutboxTeamsDeferredAnswerSink(
            outbox: core.outbox, outboxSignal: core.outboxSignal, journal: journal, renderer: renderer,
            time: core.time, logger: logger)
        return TeamsChat(
            platform: platform, receiver: receiver,
            responder: TeamsResponder(sink: sink, time: core.time, logger: logger), journal: journal,
            answerer: TeamsGatedAnswering(
                answering: core.answering, policy: core.accessPolicy, threads: core.threads,
                activity: core.activity, logger: logger),
            renderer: renderer,
            replyBudget: replyBudget, language: language)
    }
}
