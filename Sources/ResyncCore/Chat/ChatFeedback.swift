import Foundation

/// A reaction or button on one of Resync's messages, joined to the answer it judged.
public struct AnswerFeedback: Hashable, Sendable, Codable {
    public var feedback: Feedback
    /// The outbox item that posted the message reacted to.
    public var outboxID: String
    public var answerID: String?
    public var jobName: String?

    public init(feedback: Feedback, outboxID: String, answerID: String?, jobName: String?) {
        self.feedback = feedback
        self.outboxID = outboxID
        self.answerID = answerID
        self.jobName = jobName
    }
}

/// Feedback on answers, one row per user, message and signal; the auditor reads it.
public protocol AnswerFeedbackStore: Sendable {
    /// Stores a signal, or withdraws it (`feedback.added == false`); a user counts once per message and signal.
    func record(_ feedback: AnswerFeedback) async throws
    /// Signals on one answer, withdrawn ones included (with `added == false`).
    func feedback(answerID: String) async throws -> [AnswerFeedback]
    /// Signals recorded since `since`, newest first.
    func recent(since: Date, limit: Int) async throws -> [AnswerFeedback]
}

/// A message Resync wants to post on its own (an alert, a notice), platform-neutral.
public struct OutboundChatMessage: Hashable, Sendable {
    /// Platform, channel and (optionally) thread to post in.
    public var conversation: ConversationRef
    public var text: String
    /// A full answer to render instead of `text` when present.
    public var answer: Answer?
    public var jobName: String?

    public init(conversation: ConversationRef, text: String, answer: Answer? = nil, jobName: String? = nil) {
        self.conversation = conversation
        self.text = text
        self.answer = answer
        self.jobName = jobName
    }
}

/// Posts through the durable outbox (paced, retried, sent once). Monitor depends on this port only.
public protocol ChatPoster: Sendable {
    /// Renders and queues `message`; returns the ids of the outbox items written.
    @discardableResult
    func post(_ message: OutboundChatMessage) async throws -> [String]
}
