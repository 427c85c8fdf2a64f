import Foundation
import Logging
import ResyncCore

extension ChatIngress {
    /// Handles `learn …` typed inside a thread: learns it and queues a short confirmation in the thread.
    /// Returns nil when the question is not a learn command, or has no thread (the agent then explains how
    /// to use it), or learning is off.
    func recordLearnCommand(_ item: InboundWorkItem, platform: any ChatPlatform) async throws -> Outcome? {
        let question = item.question
        // The thread first: most questions are not in one (slash commands never are), and it costs nothing.
        guard let learning, let thread = question.conversation.thread, let text = LearnCommand.text(of: question.text)
        else { return nil }
        let until = time.now().addingTimeInterval(Double(dedupeTTL.components.seconds))
        guard try await inbound.markSeen(key: question.dedupeKey + ":learn", platform: platform.kind, until: until)
        else {
            ChatMetrics.inbound(platform.kind, "duplicate")
            return .duplicate
        }
        let outcome = try await learning.learnCommand(
            text: text, key: question.dedupeKey, author: question.user, conversation: question.conversation,
            at: question.receivedAt)
        ChatMetrics.inbound(platform.kind, "learn")
        let now = time.now()
        let reply = OutboxItem(
            platform: platform.kind, channel: question.conversation.channel, threadID: thread, operation: .post,
            payload: platform.render(notice: outcome.confirmation).payload, fallbackURL: item.fallbackURL,
            nextAttemptAt: now, createdAt: now)
        try await outbox.enqueue([reply])
        outboxSignal.ring()
        return .recorded
    }

    /// Keeps an operator's reply in an answer or alert thread so a later ✅ can teach it. A failure is logged:
    /// the reply is still handled as usual.
    func keepThreadReply(_ item: InboundWorkItem) async {
        guard let learning else { return }
        do {
            try await learning.keep(item.question)
        } catch {
            logger.error("cannot keep a thread reply for learning", metadata: ["error": "\(error)"])
        }
    }

    /// A reply in a thread that is not addressed to Resync (a Mattermost `posted` event): kept for learning,
    /// and handed to the monitor when the thread is an alert's. Never answered.
    public func recordThreadReply(_ reply: InboundQuestion, platform: any ChatPlatform) async throws -> Outcome {
        let item = InboundWorkItem(question: reply, replyInThread: true)
        await keepThreadReply(item)
        if try await recordAlertReply(item, platform: platform) {
            ChatMetrics.inbound(platform.kind, "alert_reply")
            return .recorded
        }
        return .ignored(reason: "thread reply kept for learning only")
    }

    /// A ✅ on a kept thread reply; nil when the reaction does not teach or the message is not a kept reply.
    func recordLearnReaction(_ signal: Feedback, platform: any ChatPlatform) async throws -> Outcome? {
        guard let learning, learning.isLearnReaction(signal.signal), let outcome = try await learning.reacted(signal)
        else { return nil }
        ChatMetrics.inbound(platform.kind, "learn")
        switch outcome {
        case .learned, .alreadyKnown: return .recorded
        case .noSubject: return .ignored(reason: "reply in a thread that is not about one job")
        case .emptyText: return .ignored(reason: "empty reply")
        }
    }
}

extension KnownSolutionLearner.Outcome {
    /// The short reply to `learn …`, in English and Portuguese like the other notices.
    public var confirmation: String {
        switch self {
        case .learned(let memory), .alreadyKnown(let memory):
            let subject = [memory.jobName, memory.errorSignature.map { "(\($0))" }].compactMap { $0 }
                .joined(separator: " ")
            return "Learned for \(subject): it will be shown as a known solution in the next answers about this job."
                + " / Aprendido para \(subject): será mostrado como solução conhecida nas próximas respostas sobre este job."
        case .noSubject:
            return "This thread is not about one job, so nothing was learned. Use `learn <solution>` in the thread of"
                + " an answer or alert about a failed job. / Este tópico não é sobre um job; nada foi aprendido. Use"
                + " `aprender <solução>` no tópico de uma resposta ou alerta sobre um job com falha."
        case .emptyText:
            return "Write the solution after the command, e.g. `learn rerun after freeing the dataset`. / Escreva a"
                + " solução depois do comando, ex.: `aprender reexecutar após liberar o dataset`."
        }
    }
}
