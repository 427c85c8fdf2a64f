import Foundation
import Logging
import ResyncCore

/// The synchronous half of "ack first, work later": records a verified, parsed event durably and returns
/// at once. Questions go to the inbound queue (deduplicated across replicas); reactions and buttons
/// become feedback rows; the background services do the rest.
public struct ChatIngress: Sendable {
    /// What the HTTP handler should acknowledge.
    public enum Outcome: Hashable, Sendable {
        case accepted
        case duplicate
        case recorded
        case ignored(reason: String)
    }

    let inbound: any ChatInboundStore
    let outbox: any ChatOutboxStore
    let threads: any ChatThreadContextStore
    let feedback: any AnswerFeedbackStore
    let processorSignal: WorkSignal
    let outboxSignal: WorkSignal
    /// Shared with the question processor, which answers more slowly while deliveries storm in.
    let load: IngressLoad
    let dedupeTTL: Duration
    /// The dashboard's bot activity: 👍/👎 given on answers.
    let activity: (any BotActivityRecording)?
    let time: any TimeSource
    let logger: Logger
    /// The monitor's sink for operators' replies in alert threads; nil when no monitor runs.
    public var alertReplies: (any AlertReplySink)? = nil
    /// Known solutions from ✅ on operators' thread replies and `learn …` in threads; nil turns learning off.
    public var learning: KnownSolutionLearner? = nil

    public init(
        inbound: any ChatInboundStore, outbox: any ChatOutboxStore, threads: any ChatThreadContextStore,
        feedback: any AnswerFeedbackStore, processorSignal: WorkSignal, outboxSignal: WorkSignal,
        load: IngressLoad = IngressLoad(), dedupeTTL: Duration = .seconds(24 * 3600),
        activity: (any BotActivityRecording)? = nil, time: any TimeSource, logger: Logger
    ) {
        self.inbound = inbound
        self.outbox = outbox
        self.threads = threads
        self.feedback = feedback
        self.processorSignal = processorSignal
        self.load = load
        self.outboxSignal = outboxSignal
        self.dedupeTTL = dedupeTTL
        self.activity = activity
        self.time = time
        self.logger = logger
    }

    public func record(_ event: ChatInbound, platform: any ChatPlatform) async throws -> Outcome {
        switch event {
        case .challenge, .probe:
            return .recorded
        case .ignored(let reason):
            ChatMetrics.inbound(platform.kind, "ignored")
            return .ignored(reason: reason)
        case .question(let item, let onlyInBotThreads):
            return try await recordQuestion(item, onlyInBotThreads: onlyInBotThreads, platform: platform)
        case .reaction(let signal):
            return try await recordFeedback(signal, platform: platform)
        case .interaction(let interaction):
            return try await recordInteraction(interaction, platform: platform)
        }
    }

    func recordQuestion(_ item: InboundWorkItem, onlyInBotThreads: Bool, platform: any ChatPlatform) async throws
        -> Outcome
    {
        let conversation = item.question.conversation
        if let outcome = try await recordLearnCommand(item, platform: platform) { return outcome }
        await keepThreadReply(item)
        // A plain reply in an alert's thread is the operator's note for the team, not a question to answer.
        if try await recordAlertReply(item, platform: platform), onlyInBotThreads {
            ChatMetrics.inbound(platform.kind, "alert_reply")
            return .recorded
        }
        if onlyInBotThreads {
            guard let thread = conversation.thread,
                try await threads.context(platform: platform.kind, channel: conversation.channel, thread: thread) != nil
            else {
                ChatMetrics.inbound(platform.kind, "ignored")
                return .ignored(reason: "thread reply in a thread Resync is not part of")
            }
        }
        load.noteDelivery()
        let until = time.now().addingTimeInterval(Double(dedupeTTL.components.seconds))
        switch try await inbound.accept(item, dedupeUntil: until) {
        case .accepted:
            ChatMetrics.inbound(platform.kind, "accepted")
            processorSignal.ring()
            return .accepted
        case .duplicate:
            ChatMetrics.inbound(platform.kind, "duplicate")
            logger.info("duplicate delivery ignored", metadata: ["dedupe_key": "\(item.id)"])
            return .duplicate
        }
    }

    /// Joins the signal to the answer that produced the message, by `(channel, message id)` in the outbox.
    func recordFeedback(_ signal: Feedback, platform: any ChatPlatform) async throws -> Outcome {
        if let outcome = try await recordLearnReaction(signal, platform: platform) { return outcome }
        let conversation = signal.conversation
        guard let message = conversation.message,
            let sent = try await outbox.sentItem(
                platform: platform.kind, channel: conversation.channel, messageID: message)
        else {
            ChatMetrics.inbound(platform.kind, "ignored")
            return .ignored(reason: "reaction on a message Resync did not send")
        }
        var joined = signal
        joined.conversation.thread = sent.conversationThread
        try await feedback.record(
            AnswerFeedback(feedback: joined, outboxID: sent.id, answerID: sent.answerID, jobName: sent.jobName))
        ChatMetrics.feedback(platform.kind, signal.polarity)
        // A removed reaction takes nothing back from the dashboard's tally, which counts what was given.
        if signal.added { await activity?.recordFeedback(signal.polarity) }
        logger.info(
            "feedback recorded",
            metadata: [
                "polarity": "\(signal.polarity.rawValue)", "signal": "\(signal.signal)", "added": "\(signal.added)",
            ])
        return .recorded
    }

    func recordInteraction(_ interaction: ChatInteraction, platform: any ChatPlatform) async throws -> Outcome {
        let until = time.now().addingTimeInterval(Double(dedupeTTL.components.seconds))
        guard try await inbound.markSeen(key: interaction.dedupeKey, platform: platform.kind, until: until) else {
            ChatMetrics.inbound(platform.kind, "duplicate")
            return .duplicate
        }
        let conversation = interaction.conversation
        switch interaction.action {
        case .feedback(let polarity):
            let signal = Feedback(
                conversation: conversation, user: interaction.user, polarity: polarity,
                signal: polarity == .positive ? "helpful" : "wrong", at: interaction.receivedAt)
            let outcome = try await recordFeedback(signal, platform: platform)
            if outcome == .recorded, let url = interaction.responseURL {
                try await acknowledgeFeedback(
                    polarity, responseURL: url, conversation: conversation, platform: platform)
            }
            return outcome
        case .showLog(let jobName), .explain(let jobName):
            // Words of no particular language, so the answer takes the configured default language, as the
            // buttons' labels do ("explain JOB" was read as English in a Portuguese conversation).
            let text = if case .showLog = interaction.action { "log \(jobName)" } else { "status \(jobName)" }
            let question = InboundQuestion(
                dedupeKey: interaction.dedupeKey, text: text, user: interaction.user,
                conversation: ConversationRef(
                    platform: platform.kind, channel: conversation.channel,
                    thread: conversation.thread ?? conversation.message, message: conversation.message),
                receivedAt: interaction.receivedAt)
            // The dedupe key is already taken by markSeen; the queue row uses a derived key.
            var item = InboundWorkItem(question: question, replyInThread: true, fallbackURL: interaction.responseURL)
            item.question.dedupeKey = interaction.dedupeKey + ":question"
            return try await recordQuestion(item, onlyInBotThreads: false, platform: platform)
        }
    }

    /// Tells only the clicker that the signal counted, through the response URL (via the outbox).
    func acknowledgeFeedback(
        _ polarity: Feedback.Polarity, responseURL: String, conversation: ConversationRef, platform: any ChatPlatform
    ) async throws {
        let text =
            polarity == .positive
            ? "Thanks! Your feedback was recorded. / Obrigado! Seu feedback foi registrado."
            : "Thanks, noted — this answer will be reviewed. / Obrigado, anotado — a resposta será revisada."
        let now = time.now()
        let item = OutboxItem(
            platform: platform.kind, channel: conversation.channel, operation: .respond,
            payload: platform.render(notice: text).payload, fallbackURL: responseURL, nextAttemptAt: now,
            createdAt: now)
        try await outbox.enqueue([item])
        outboxSignal.ring()
    }
}
