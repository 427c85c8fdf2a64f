import Foundation

/// Where a conversation happened: platform, channel and thread ids as the platform names them.
public struct ConversationRef: Hashable, Sendable, Codable {
    public var platform: ChatPlatformKind
    public var channel: String
    public var thread: String?
    /// The platform message id (Slack `ts`, Mattermost post id) when known.
    public var message: String?

    public init(platform: ChatPlatformKind, channel: String, thread: String? = nil, message: String? = nil) {
        self.platform = platform
        self.channel = channel
        self.thread = thread
        self.message = message
    }
}

/// The chat surfaces Resync answers on.
public enum ChatPlatformKind: String, Hashable, Sendable, Codable, CaseIterable {
    case slack, teams, mattermost, web, cli
}

/// Lifecycle of a memory. Nothing is hard-deleted except by an explicit purge.
public enum MemoryStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, flagged, approved, rejected, deleted
}

public enum MemoryKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A question Resync answered, with what it used.
    case answeredQuestion = "answered_question"
    /// What fixed a job's failure, as an operator said.
    case knownSolution = "known_solution"
}

/// Positive and negative signals attached to an answer, entry or memory.
public struct FeedbackCounts: Hashable, Sendable, Codable {
    public var positive: Int
    public var negative: Int

    public init(positive: Int = 0, negative: Int = 0) {
        self.positive = positive
        self.negative = negative
    }

    public var balance: Int { positive - negative }
}

/// Something Resync learned.
public struct Memory: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var kind: MemoryKind
    public var jobName: String?
    /// Error signature the memory is about (`RC=12`, `ABEND S0C4`).
    public var errorSignature: String?
    /// The question asked, for answered questions.
    public var question: String?
    /// The answer summary, or the known solution's text.
    public var text: String
    public var author: String?
    public var conversation: ConversationRef?
    /// Link to the thread the memory came from.
    public var sourceLink: String?
    public var usedKnowledgeKeys: [String]
    public var usedMemoryIDs: [String]
    public var feedback: FeedbackCounts
    public var auditorScore: Double?
    public var auditorReason: String?
    public var status: MemoryStatus
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString, kind: MemoryKind, jobName: String? = nil, errorSignature: String? = nil,
        question: String? = nil, text: String, author: String? = nil, conversation: ConversationRef? = nil,
        sourceLink: String? = nil, usedKnowledgeKeys: [String] = [], usedMemoryIDs: [String] = [],
        feedback: FeedbackCounts = FeedbackCounts(), auditorScore: Double? = nil, auditorReason: String? = nil,
        status: MemoryStatus = .active, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.jobName = jobName
        self.errorSignature = errorSignature
        self.question = question
        self.text = text
        self.author = author
        self.conversation = conversation
        self.sourceLink = sourceLink
        self.usedKnowledgeKeys = usedKnowledgeKeys
        self.usedMemoryIDs = usedMemoryIDs
        self.feedback = feedback
        self.auditorScore = auditorScore
        self.auditorReason = auditorReason
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// One user's signal on one message. A user counts once per message.
public struct Feedback: Hashable, Sendable, Codable {
    public enum Polarity: String, Hashable, Sendable, Codable { case positive, negative }

    public var conversation: ConversationRef
    public var user: String
    public var polarity: Polarity
    /// The emoji or button that produced it (`+1`, `white_check_mark`, `helpful`…).
    public var signal: String
    /// False when the reaction was removed: its signal is withdrawn.
    public var added: Bool
    public var at: Date

    public init(
        conversation: ConversationRef, user: String, polarity: Polarity, signal: String, added: Bool = true, at: Date
    ) {
        self.conversation = conversation
        self.user = user
        self.polarity = polarity
        self.signal = signal
        self.added = added
        self.at = at
    }
}

/// A line of the audit log: every status change of a memory, by whom, when and why.
public struct AuditLogEntry: Hashable, Sendable, Codable {
    public var memoryID: String
    public var actor: String
    public var action: String
    public var fromStatus: MemoryStatus?
    public var toStatus: MemoryStatus?
    public var reason: String
    public var at: Date

    public init(
        memoryID: String, actor: String, action: String, fromStatus: MemoryStatus?, toStatus: MemoryStatus?,
        reason: String, at: Date
    ) {
        self.memoryID = memoryID
        self.actor = actor
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.reason = reason
        self.at = at
    }
}

/// Which memories to list.
public struct MemoryFilter: Hashable, Sendable, Codable {
    public var statuses: Set<MemoryStatus>
    public var kind: MemoryKind?
    public var jobName: String?
    public var platform: ChatPlatformKind?
    public var text: String?
    public var limit: Int
    public var offset: Int

    public init(
        statuses: Set<MemoryStatus> = [], kind: MemoryKind? = nil, jobName: String? = nil,
        platform: ChatPlatformKind? = nil, text: String? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.statuses = statuses
        self.kind = kind
        self.jobName = jobName
        self.platform = platform
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// What Resync learns, with its quality signals and an audit trail.
public protocol MemoryStore: Sendable {
    /// Saves a new memory.
    func record(_ memory: Memory) async throws
    func memory(id: String) async throws -> Memory?
    func list(_ filter: MemoryFilter) async throws -> [Memory]
    /// Active or approved known solutions for a job (and error, when given), best quality first.
    func knownSolutions(jobName: String, errorSignature: String?, limit: Int) async throws -> [Memory]
    /// Changes a memory's status and writes the change to the audit log.
    func setStatus(id: String, to status: MemoryStatus, actor: String, reason: String) async throws
    /// Replaces a memory's text and writes the edit to the audit log.
    func updateText(id: String, text: String, actor: String, reason: String) async throws
    /// Stores or withdraws one user's signal on a memory; a user counts once per memory.
    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws
    /// Saves the auditor's score and reason without changing the status.
    func setAuditorScore(id: String, score: Double, reason: String) async throws
    func auditLog(memoryID: String) async throws -> [AuditLogEntry]
}
