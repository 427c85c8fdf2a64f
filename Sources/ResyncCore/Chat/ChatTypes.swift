import Foundation

/// An event received from a chat platform after verification and parsing.
public enum InboundEvent: Hashable, Sendable {
    /// A question or slash command addressed to Resync.
    case question(InboundQuestion)
    /// A reaction added to or removed from a message.
    case reaction(Feedback)
}

/// A question as a chat platform delivered it.
public struct InboundQuestion: Hashable, Sendable, Codable {
    /// Durable idempotency key (Slack `event_id`, Teams activity id…): a redelivery has the same key.
    public var dedupeKey: String
    public var text: String
    public var user: String
    public var conversation: ConversationRef
    public var receivedAt: Date

    public init(dedupeKey: String, text: String, user: String, conversation: ConversationRef, receivedAt: Date) {
        self.dedupeKey = dedupeKey
        self.text = text
        self.user = user
        self.conversation = conversation
        self.receivedAt = receivedAt
    }
}
