import Foundation
import ResyncCore

/// Answers a Teams question with the agent and applies the chat core's access policy to the result, the same
/// gate Slack and Mattermost answers pass through in the question processor. Teams replies synchronously, so
/// the answer does not go through the inbound queue; the agent's own deadlines bound how long it takes.
public struct TeamsGatedAnswering: Sendable {
    let answering: any QuestionAnswering
    let gate: AccessGate

    public init(answering: any QuestionAnswering, policy: ChatAccessPolicy) {
        self.answering = answering
        self.gate = AccessGate(policy: policy)
    }

    public func answer(_ message: TeamsInboundMessage, receivedAt: Date) async -> Answer {
        let question = message.inboundQuestion(receivedAt: receivedAt)
        let context = QuestionContext(conversation: question.conversation, user: question.user)
        let answer = await answering.answer(question.text, context: context)
        let gated = gate.apply(answer, channel: question.conversation.channel, user: question.user)
        if gated.denied { ChatMetrics.denied(.teams) }
        return gated.answer
    }
}
