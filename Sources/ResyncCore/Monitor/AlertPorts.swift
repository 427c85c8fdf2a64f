import Foundation

/// Builds the diagnosis posted for a failed job: status, rc, redacted log tail, KB procedure, known
/// solutions, owner and links. The agent's answer composer implements it.
public protocol FailureDiagnosing: Sendable {
    /// The consolidated answer about `job`'s failure, in `language`. Never throws: when a source is down
    /// the answer carries a notice instead.
    func diagnose(_ job: Job, language: Language) async -> Answer
}

/// One channel of one chat platform an alert goes to.
public struct AlertDestination: Hashable, Sendable, Codable, CustomStringConvertible {
    public var platform: ChatPlatformKind
    /// The platform's channel id or name (Slack `C123`/`#ops`, a Mattermost channel id; for Teams the
    /// Workflows webhook, named `workflow`).
    public var channel: String

    public init(platform: ChatPlatformKind, channel: String) {
        self.platform = platform
        self.channel = channel
    }

    public var description: String { "\(platform.rawValue):\(channel)" }
}

/// A message the monitor posted, as the publisher identifies it. The handle is durable and known as soon
/// as the message is queued (the outbox item id), long before the platform gives it a message id.
public struct AlertMessageRef: Hashable, Sendable, Codable {
    public var destination: AlertDestination
    /// The publisher's id of the message (with the chat outbox: the id of its first outbox item).
    public var handle: String

    public init(destination: AlertDestination, handle: String) {
        self.destination = destination
        self.handle = handle
    }
}

/// What the monitor posts.
public struct AlertMessage: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// One failed job, rendered from `answer` like any answer (buttons where the platform has them).
        case failure
        /// The root of a storm digest; per-job alerts follow in its thread.
        case digest
        /// "recovered at …", a reply in the alert's thread.
        case recovery
    }

    public var kind: Kind
    /// Plain text; for `failure` a one-line fallback when no answer renders.
    public var text: String
    public var answer: Answer?
    public var jobName: String?

    public init(kind: Kind, text: String, answer: Answer? = nil, jobName: String? = nil) {
        self.kind = kind
        self.text = text
        self.answer = answer
        self.jobName = jobName
    }
}

/// Posts the monitor's messages through the durable chat outbox.
public protocol AlertPublishing: Sendable {
    /// Queues `message` for `destination`, as a reply in `parent`'s thread when `parent` is set (its
    /// destination is the same). Idempotent per `key`: calling again with a key already queued posts nothing
    /// and returns the first call's reference, so a monitor that crashed mid-publish can simply retry.
    func publish(
        _ message: AlertMessage, to destination: AlertDestination, inThreadOf parent: AlertMessageRef?, key: String
    )
        async throws -> AlertMessageRef
}

/// Who polls. With several replicas on one PostgreSQL database exactly one of them leads at a time.
public protocol LeaderLease: Sendable {
    /// Runs `work` while this process holds the lease and returns true when it ran. Returns false at once when
    /// another process holds it. `work` is cancelled when the lease is lost (the dedicated connection died);
    /// the lease is released when `work` returns or throws.
    func whileLeading(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool
}

/// Receives operator replies in alert threads; the chat ingress calls it for thread replies that are not the bot's.
public protocol AlertReplySink: Sendable {
    /// Keeps `reply` as a candidate known solution when its thread root is one of the monitor's alerts or
    /// digests. Returns false (and keeps nothing) when the thread is not an alert's.
    @discardableResult
    func operatorReplied(_ reply: AlertThreadReply) async throws -> Bool
}

/// An operator's message in a thread the monitor started.
public struct AlertThreadReply: Hashable, Sendable, Codable {
    /// The handle of the thread's root message (the outbox item id that produced the thread root).
    public var threadHandle: String
    public var author: String
    public var text: String
    public var conversation: ConversationRef
    public var receivedAt: Date

    public init(threadHandle: String, author: String, text: String, conversation: ConversationRef, receivedAt: Date) {
        self.threadHandle = threadHandle
        self.author = author
        self.text = text
        self.conversation = conversation
        self.receivedAt = receivedAt
    }
}
