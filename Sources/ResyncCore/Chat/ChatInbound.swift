import Foundation

/// A question accepted from a chat platform and waiting for (or done with) its answer.
public struct InboundWorkItem: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case pending, processing, done, failed
    }

    public var question: InboundQuestion
    /// Reply under the question's thread (mentions) rather than as a new channel message (slash commands).
    public var replyInThread: Bool
    /// Where to answer when the bot cannot post in the channel (Slack `response_url`).
    public var fallbackURL: String?
    /// False for a message that did not address Resync (a thread reply without a mention): it is answered only
    /// when it reads as a question (`Intent.answersUnaddressed`), and otherwise left without a reply.
    public var addressed: Bool
    public var status: Status
    public var attempts: Int
    public var updatedAt: Date

    public init(
        question: InboundQuestion, replyInThread: Bool, fallbackURL: String? = nil, addressed: Bool = true,
        status: Status = .pending, attempts: Int = 0, updatedAt: Date? = nil
    ) {
        self.question = question
        self.replyInThread = replyInThread
        self.fallbackURL = fallbackURL
        self.addressed = addressed
        self.status = status
        self.attempts = attempts
        self.updatedAt = updatedAt ?? question.receivedAt
    }

    public var id: String { question.dedupeKey }
}

/// Whether an inbound delivery was new.
public enum InboundAcceptance: Hashable, Sendable {
    case accepted
    /// The dedupe key was already recorded (a platform retry, or another replica got it first).
    case duplicate
}

/// A claim on an inbound item; completing with a stale token does nothing.
public struct InboundClaim: Hashable, Sendable {
    public var item: InboundWorkItem
    public var token: String

    public init(item: InboundWorkItem, token: String) {
        self.item = item
        self.token = token
    }
}

/// Durable dedupe keys and the queue of accepted questions, shared by every replica.
public protocol ChatInboundStore: Sendable {
    /// Queues the item unless its dedupe key was seen: the key is unique across replicas and kept at least until
    /// `dedupeUntil`, even after the item is finished.
    func accept(_ item: InboundWorkItem, dedupeUntil: Date) async throws -> InboundAcceptance
    /// Records a dedupe key alone (interactions); true the first time the key is seen.
    func markSeen(key: String, platform: ChatPlatformKind, until: Date) async throws -> Bool
    /// Queues an item its caller is answering right away (Teams answers within the request), already claimed
    /// with `token`. The caller has deduplicated the delivery. Completing the claim records the answer; if the
    /// caller dies first, the item returns to `claimNext` once the claim is stale. Nil when already queued.
    func enqueueClaimed(_ item: InboundWorkItem, token: String, at: Date) async throws -> InboundClaim?
    /// Claims up to `limit` items that are pending, or processing with a lease older than `staleBefore`
    /// (their worker died). Each claim is a conditional update, so replicas never share an item.
    func claimNext(limit: Int, now: Date, staleBefore: Date) async throws -> [InboundClaim]
    /// Queues the replies and marks the item done in one transaction, only while `claim` is current:
    /// a crash leaves both or neither, so a question is answered exactly once.
    @discardableResult
    func complete(_ claim: InboundClaim, replies: [OutboxItem], at: Date) async throws -> Bool
    /// Gives up on an item.
    func fail(_ claim: InboundClaim, error: String, at: Date) async throws
    /// Deletes dedupe keys past their TTL and finished items older than `finishedBefore` whose key has expired.
    func purge(now: Date, finishedBefore: Date) async throws -> Int
    func item(id: String) async throws -> InboundWorkItem?
}

/// What a thread was about, so follow-ups ("and the log?") resolve against it.
public struct ThreadContext: Hashable, Sendable, Codable {
    public var conversation: ConversationRef
    public var jobName: String?
    public var updatedAt: Date

    public init(conversation: ConversationRef, jobName: String?, updatedAt: Date) {
        self.conversation = conversation
        self.jobName = jobName
        self.updatedAt = updatedAt
    }
}

/// Per-thread conversation memory. A thread with a context is one the bot takes part in.
public protocol ChatThreadContextStore: Sendable {
    /// Remembers that the bot answered in the thread, and its job when known (a nil job keeps the previous one).
    func remember(platform: ChatPlatformKind, channel: String, thread: String, jobName: String?, at: Date)
        async throws
    func context(platform: ChatPlatformKind, channel: String, thread: String) async throws -> ThreadContext?
}
