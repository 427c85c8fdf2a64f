import Foundation

/// An operator's message in a thread Resync takes part in (an answer's or an alert's), kept so that a ✅ added
/// to it later can turn it into a known solution.
public struct ThreadReply: Hashable, Sendable, Codable {
    /// Platform, channel, the thread's root (`thread`) and the reply's own platform message id (`message`).
    public var conversation: ConversationRef
    public var author: String
    /// The reply's text, already redacted.
    public var text: String
    public var receivedAt: Date

    public init(conversation: ConversationRef, author: String, text: String, receivedAt: Date) {
        self.conversation = conversation
        self.author = author
        self.text = text
        self.receivedAt = receivedAt
    }
}

/// Operators' thread replies, keyed by platform, channel and message id so a later reaction finds them.
public protocol ThreadReplyStore: Sendable {
    /// Keeps `reply` (its `conversation.message` is required); keeping the same message again changes nothing.
    func keep(_ reply: ThreadReply) async throws
    /// The kept reply with that platform message id, nil when none was kept.
    func reply(platform: ChatPlatformKind, channel: String, messageID: String) async throws -> ThreadReply?
    /// Deletes replies received before `receivedBefore`; returns how many.
    @discardableResult
    func purge(receivedBefore: Date) async throws -> Int
}

/// What a thread is about: the job (and failure) that anything learned in the thread is filed under.
public struct ThreadSubject: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable {
        /// The thread of a failure alert the monitor posted.
        case alert
        /// The thread of an answer Resync gave.
        case answer
    }

    public var source: Source
    public var jobName: String
    /// `ABEND RC=12` when known; nil files the solution under every failure of the job.
    public var errorSignature: String?

    public init(source: Source, jobName: String, errorSignature: String?) {
        self.source = source
        self.jobName = jobName
        self.errorSignature = errorSignature
    }
}

/// Tells which job and failure an alert thread is about. The monitor implements it.
public protocol AlertThreadSubjects: Sendable {
    /// The subject of the thread whose root is the alert message with `threadHandle` (its outbox item id);
    /// nil for a digest (it is about many jobs) or a handle the monitor does not know.
    func subject(threadHandle: String) async throws -> ThreadSubject?
}

/// `learn <text>` / `aprender <text>`: teach Resync a known solution from inside an answer or alert thread.
public enum LearnCommand {
    public static let keywords: Set<String> = ["learn", "aprender", "aprenda"]

    /// The text to learn when `text` is a learn command (`learn restart after …`); an empty string when the
    /// command has no text; nil when `text` is not a learn command.
    public static func text(of text: String) -> String? {
        let trimmed = text.trimmedWhitespace
        let first = trimmed.prefix { !$0.isWhitespace }
        guard keywords.contains(first.lowercased()) else { return nil }
        return trimmed.dropFirst(first.count).trimmedWhitespace
    }
}

extension Job {
    /// `ABEND RC=12`: the failing status and return code, the way the knowledge base and memory key errors.
    public var failureSignature: String {
        let status = (lastRun?.internalStatus ?? internalStatus)?.rawValue ?? commonStatus.rawValue
        return lastRun?.returnCode.map { "\(status) RC=\($0)" } ?? status
    }
}
