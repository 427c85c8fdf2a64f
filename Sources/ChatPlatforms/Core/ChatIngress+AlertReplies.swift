import Foundation
import Logging
import ResyncCore

extension ChatIngress {
    /// Hands a thread reply to the monitor when the thread's root is a message the monitor queued (found by
    /// its platform message id in the outbox). Redeliveries of the same event are recorded once. Returns
    /// whether the monitor kept the reply; a failure to keep it is logged and the reply handled as usual.
    func recordAlertReply(_ item: InboundWorkItem, platform: any ChatPlatform) async throws -> Bool {
        let question = item.question
        guard let sink = alertReplies, let thread = question.conversation.thread,
            let root = try await outbox.sentItem(
                platform: platform.kind, channel: question.conversation.channel, messageID: thread),
            OutboxAlertPublisher.isAlertItem(id: root.id)
        else { return false }
        let until = time.now().addingTimeInterval(Double(dedupeTTL.components.seconds))
        guard
            try await inbound.markSeen(
                key: question.dedupeKey + ":alert-reply", platform: platform.kind, until: until)
        else { return true }
        let reply = AlertThreadReply(
            threadHandle: root.id, author: question.user, text: question.text, conversation: question.conversation,
            receivedAt: question.receivedAt)
        do {
            return try await sink.operatorReplied(reply)
        } catch {
            logger.error("cannot keep the reply in an alert thread", metadata: ["error": "\(error)"])
            return false
        }
    }
}
