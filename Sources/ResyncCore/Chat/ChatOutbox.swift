import Foundation

/// One message waiting in (or sent from) the durable outbox. Written to the database before it is sent,
/// so a crash between answering and sending loses nothing, and claimed atomically so it is sent once.
public struct OutboxItem: Hashable, Sendable, Codable {
    public enum Operation: String, Hashable, Sendable, Codable {
        /// A new message in a channel, or a reply in `threadID` when set.
        case post
        /// Edit the message `targetMessageID`.
        case update
        /// A reply through the platform's one-off response URL (`fallbackURL`), e.g. Slack `response_url`.
        case respond
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case pending, sending, sent, failed
    }

    public var id: String
    public var platform: ChatPlatformKind
    public var channel: String
    /// The thread root to reply under; filled in from the dependency when `threadOnDependency` is set.
    public var threadID: String?
    /// An outbox item that must be sent first (the earlier part of a chunked answer).
    public var dependsOn: String?
    /// Thread this item under the message (or thread) the dependency produced.
    public var threadOnDependency: Bool
    public var operation: Operation
    public var targetMessageID: String?
    /// The platform-rendered message body (JSON), without channel or thread.
    public var payload: String
    /// Where to answer when the bot cannot post in the channel (Slack `response_url`).
    public var fallbackURL: String?
    public var answerID: String?
    public var jobName: String?
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    /// The platform's id of the sent message (Slack `ts`).
    public var platformMessageID: String?
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: String = UUID().uuidString, platform: ChatPlatformKind, channel: String, threadID: String? = nil,
        dependsOn: String? = nil, threadOnDependency: Bool = false, operation: Operation = .post,
        targetMessageID: String? = nil, payload: String, fallbackURL: String? = nil, answerID: String? = nil,
        jobName: String? = nil, status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date,
        platformMessageID: String? = nil, lastError: String? = nil, createdAt: Date, sentAt: Date? = nil
    ) {
        self.id = id
        self.platform = platform
        self.channel = channel
        self.threadID = threadID
        self.dependsOn = dependsOn
        self.threadOnDependency = threadOnDependency
        self.operation = operation
        self.targetMessageID = targetMessageID
        self.payload = payload
        self.fallbackURL = fallbackURL
        self.answerID = answerID
        self.jobName = jobName
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.platformMessageID = platformMessageID
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// The thread this item's conversation continues in: its thread, or itself when it started one.
    public var conversationThread: String? { threadID ?? platformMessageID }
}

/// Whether a worker may send into a channel now (see `ChatOutboxStore.reserveChannel`).
public enum ChannelReservation: Equatable, Sendable {
    case reserved
    case busy(until: Date)
}

/// A channel on one platform: the outbox paces and orders each separately.
public struct OutboxChannel: Hashable, Sendable {
    public var platform: ChatPlatformKind
    public var channel: String

    public init(platform: ChatPlatformKind, channel: String) {
        self.platform = platform
        self.channel = channel
    }
}

extension OutboxItem {
    public var outboxChannel: OutboxChannel { OutboxChannel(platform: platform, channel: channel) }
}

extension ChatOutboxStore {
    /// The oldest due item of every channel.
    public func due(now: Date, limit: Int) async throws -> [OutboxItem] {
        try await due(now: now, limit: limit, skipping: [])
    }
}

/// The durable outbox shared by every replica. Implementations make `claim` atomic (a conditional update),
/// so two workers never send the same item.
public protocol ChatOutboxStore: Sendable {
    /// Writes items to send; ids are unique.
    func enqueue(_ items: [OutboxItem]) async throws
    /// For each channel with pending items, its oldest item due at `now` whose dependency (if any) was sent;
    /// oldest first, at most `limit`. Channels in `skipping` (still paced) are passed over, so that one busy
    /// channel's backlog never holds back the others.
    func due(now: Date, limit: Int, skipping: Set<OutboxChannel>) async throws -> [OutboxItem]
    /// Moves a pending item to `sending`; false when another worker took it first.
    func claim(id: String, now: Date) async throws -> Bool
    /// Takes the channel's next sending slot for every worker sharing the database: when the channel is free at
    /// `now` it stays held until `until` and the result is `.reserved`; otherwise `.busy` says until when another
    /// worker (or a platform's `Retry-After`) holds it. Each process pacing on its own would let two replicas send
    /// twice the platform's rate into one channel.
    func reserveChannel(_ channel: OutboxChannel, now: Date, until: Date) async throws -> ChannelReservation
    /// Holds a channel for every worker until `until` (a `429 Retry-After`); never shortens a longer hold.
    func holdChannel(_ channel: OutboxChannel, until: Date) async throws
    /// Records the platform's message id; items threaded on this one learn their thread root.
    func markSent(id: String, messageID: String?, at: Date) async throws
    /// Returns a claimed item to `pending` for another attempt at `nextAttemptAt`.
    func reschedule(id: String, nextAttemptAt: Date, error: String) async throws
    /// Gives up on an item (and on the items that depend on it).
    func markFailed(id: String, error: String, at: Date) async throws
    /// Items left in `sending` since before `cutoff` (the process died mid-send) are marked failed rather
    /// than resent: the platform may have received them, and a duplicate reply is worse than a lost one.
    func abandonStaleClaims(olderThan cutoff: Date) async throws -> Int
    func item(id: String) async throws -> OutboxItem?
    /// The sent item that produced `messageID` in `channel`, for matching reactions and buttons.
    func sentItem(platform: ChatPlatformKind, channel: String, messageID: String) async throws -> OutboxItem?
    /// Every item in creation order (operations pages, tests).
    func list(status: OutboxItem.Status?, limit: Int) async throws -> [OutboxItem]
}
