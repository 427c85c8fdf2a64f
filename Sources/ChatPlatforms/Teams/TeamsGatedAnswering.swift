import Foundation
import Logging
import ResyncCore

/// Answers a Teams question with the agent and applies the chat core's access policy to the result, the same
/// gate Slack and Mattermost answers pass through in the question processor. Teams replies synchronously, so
/// the answer does not go through the inbound queue; the agent's own deadlines bound how long it takes.
///
/// A Teams channel's reply chain is the thread (`;messageid=` of the conversation id): the chain's last job is
/// read before answering and remembered after, so "and the log?" in the chain resolves like on other platforms.
public struct TeamsGatedAnswering: Sendable {
    let answering: any QuestionAnswering
    let gate: AccessGate
    let threads: (any ChatThreadContextStore)?
    /// The dashboard's bot activity: one entry per answered question.
    let activity: (any BotActivityRecording)?
    let logger: Logger

    public init(
        answering: any QuestionAnswering, policy: ChatAccessPolicy, threads: (any ChatThreadContextStore)? = nil,
        activity: (any BotActivityRecording)? = nil, logger: Logger = Logger(label: "resync.teams")
    ) {
        self.answering = answering
        self.gate = AccessGate(policy: policy)
        self.threads = threads
        self.activity = activity
        self.logger = logger
    }

    public func answer(_ message: TeamsInboundMessage, receivedAt: Date) async -> Answer {
        let started = ContinuousClock.now
        let question = message.inboundQuestion(receivedAt: receivedAt)
        let conversation = question.conversation
        let threadJob = await threadJobName(conversation)
        let context = QuestionContext(
            conversation: conversation, user: question.user, threadJobName: threadJob,
            access: gate.policy.scope(channel: conversation.channel, user: question.user))
        let answer = await answering.answer(question.text, context: context)
        let gated = gate.apply(answer, channel: conversation.channel, user: question.user)
        if gated.denied { ChatMetrics.denied(.teams) }
        await remember(gated.denied ? nil : answer.parsed.jobName, in: conversation, at: receivedAt)
        await activity?.recordAnswer(
            platform: .teams, latencyMilliseconds: (ContinuousClock.now - started).inMilliseconds)
        return gated.answer
    }

    /// A store failure only costs the follow-up its context: the question is still answered.
    private func threadJobName(_ conversation: ConversationRef) async -> String? {
        guard let threads, let thread = conversation.thread else { return nil }
        do {
            return try await threads.context(platform: .teams, channel: conversation.channel, thread: thread)?.jobName
        } catch {
            logger.warning("cannot read the reply chain's job", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func remember(_ jobName: String?, in conversation: ConversationRef, at time: Date) async {
        guard let threads, let thread = conversation.thread else { return }
        do {
            try await threads.remember(
                platform: .teams, channel: conversation.channel, thread: thread, jobName: jobName, at: time)
        } catch {
            logger.warning("cannot remember the reply chain's job", metadata: ["error": "\(error)"])
        }
    }
}
