import Foundation
import Logging
import ResyncCore
import Synchronization

/// Turns what operators say in Resync's threads into known solutions: a reply that receives ✅, or the text
/// of `learn …` typed in the thread. The thread says which job (and failure) the solution is for: an alert's
/// job and error signature, or the job of the answer the thread continues.
public struct KnownSolutionLearner: Sendable {
    public struct Options: Sendable {
        /// Reaction names (normalised: lowercased, no colons, no skin tone) that teach a reply.
        public var learnReactions: Set<String>
        /// Base URL per platform for links to the source thread: a Slack workspace
        /// (`https://acme.slack.com`) or the Mattermost server. Without one the memory keeps the thread's ids only.
        public var linkBases: [ChatPlatformKind: String]
        /// Longer texts are cut: a known solution is a short note, not a runbook.
        public var maxTextLength: Int

        public init(
            learnReactions: Set<String> = ["white_check_mark", "heavy_check_mark"],
            linkBases: [ChatPlatformKind: String] = [:], maxTextLength: Int = 2_000
        ) {
            self.learnReactions = Set(learnReactions.map(KnownSolutionLearner.normalizedReaction))
            self.linkBases = linkBases
            self.maxTextLength = max(1, maxTextLength)
        }
    }

    /// What a learning attempt did.
    public enum Outcome: Hashable, Sendable {
        case learned(Memory)
        /// The same reply or command was learned before; nothing new was stored.
        case alreadyKnown(Memory)
        /// The thread is not an answer's or an alert's about one job.
        case noSubject
        case emptyText
    }

    let replies: any ThreadReplyStore
    let outbox: any ChatOutboxStore
    let threads: any ChatThreadContextStore
    let memories: any MemoryStore
    let options: Options
    let time: any TimeSource
    let logger: Logger
    /// The monitor's view of its alert threads, attached after the chat core is built and shared by every copy
    /// of the learner (the ingress is a value copied into each platform's route and listener).
    let alertSubjects = AlertSubjectsSlot()

    public init(
        replies: any ThreadReplyStore, outbox: any ChatOutboxStore, threads: any ChatThreadContextStore,
        memories: any MemoryStore, options: Options = Options(),
        time: any TimeSource, logger: Logger
    ) {
        self.replies = replies
        self.outbox = outbox
        self.threads = threads
        self.memories = memories
        self.options = options
        self.time = time
        self.logger = logger
    }

    /// Lets alert threads teach: without the monitor's view (no monitor runs) they are about no job.
    public func attach(alertSubjects: any AlertThreadSubjects) {
        self.alertSubjects.store(alertSubjects)
    }

    /// Whether a reaction (as the platform names it) is one that teaches.
    public func isLearnReaction(_ name: String) -> Bool {
        options.learnReactions.contains(Self.normalizedReaction(name))
    }

    /// `:White_Check_Mark::skin-tone-2:` and `white_check_mark_skin_tone_2` are `white_check_mark`.
    static func normalizedReaction(_ name: String) -> String {
        var base = name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ": "))
        if let range = base.range(of: "::") { base = String(base[..<range.lowerBound]) }
        if let range = base.range(of: "_skin_tone_") { base = String(base[..<range.lowerBound]) }
        if let range = base.range(of: #"_tone[1-5]$"#, options: .regularExpression) {
            base = String(base[..<range.lowerBound])
        }
        return base
    }

    /// The job (and failure) the thread of `conversation` is about; nil outside Resync's threads, in a digest's
    /// thread, or in an answer thread about no single job.
    public func subject(of conversation: ConversationRef) async throws -> ThreadSubject? {
        guard let thread = conversation.thread else { return nil }
        if let root = try await outbox.sentItem(
            platform: conversation.platform, channel: conversation.channel, messageID: thread)
        {
            if OutboxAlertPublisher.isAlertItem(id: root.id) {
                return try await alertSubjects.current?.subject(threadHandle: root.id)
            }
            if let job = root.jobName {
                var signature: String?
                if let answerID = root.answerID { signature = try await memories.memory(id: answerID)?.errorSignature }
                return ThreadSubject(source: .answer, jobName: job, errorSignature: signature)
            }
        }
        guard
            let job = try await threads.context(
                platform: conversation.platform, channel: conversation.channel, thread: thread)?.jobName
        else { return nil }
        return ThreadSubject(source: .answer, jobName: job, errorSignature: nil)
    }

    /// Keeps an operator's thread reply when its thread is about a job, so a ✅ added later can teach it.
    /// Returns whether it was kept.
    @discardableResult
    public func keep(_ question: InboundQuestion) async throws -> Bool {
        // The cheap checks first: most questions (slash commands, mentions outside threads) are not thread replies.
        guard question.conversation.thread != nil, let message = question.conversation.message,
            message != question.conversation.thread
        else { return false }
        let text = question.text.trimmedWhitespace
        guard !text.isEmpty,
            // Resync's own messages are answers, not replies: a ✅ on them stays answer feedback.
            try await outbox.sentItem(
                platform: question.conversation.platform, channel: question.conversation.channel, messageID: message)
                == nil,
            try await subject(of: question.conversation) != nil
        else { return false }
        try await replies.keep(
            ThreadReply(
                conversation: question.conversation, author: question.user, text: Redactor.redact(text),
                receivedAt: question.receivedAt))
        return true
    }

    /// Applies a teaching reaction to a kept reply: the first ✅ makes the memory, every ✅ counts as that user's
    /// positive signal on it, and removing a ✅ withdraws the signal but keeps the memory.
    /// Returns nil when the message reacted to is not a kept reply.
    public func reacted(_ signal: Feedback) async throws -> Outcome? {
        let conversation = signal.conversation
        guard let message = conversation.message,
            let reply = try await replies.reply(
                platform: conversation.platform, channel: conversation.channel, messageID: message)
        else { return nil }
        let id = Self.memoryID(
            "reply|\(conversation.platform.rawValue)|\(conversation.channel)|\(message)")
        let outcome: Outcome
        if signal.added {
            outcome = try await learn(
                id: id, text: reply.text, author: reply.author, conversation: reply.conversation,
                at: signal.at)
        } else if let memory = try await memories.memory(id: id) {
            outcome = .alreadyKnown(memory)
        } else {
            return .noSubject
        }
        switch outcome {
        case .learned(let memory), .alreadyKnown(let memory):
            try await memories.applyFeedback(memoryID: memory.id, signal)
        case .noSubject, .emptyText:
            break
        }
        return outcome
    }

    /// Learns the text of a `learn …` command typed in a thread. `key` identifies the command (its dedupe key)
    /// so a redelivery learns nothing new.
    public func learnCommand(text: String, key: String, author: String, conversation: ConversationRef, at: Date)
        async throws -> Outcome
    {
        try await learn(
            id: Self.memoryID("command|\(key)"), text: text, author: author, conversation: conversation, at: at)
    }

    func learn(id: String, text: String, author: String, conversation: ConversationRef, at: Date) async throws
        -> Outcome
    {
        if let existing = try await memories.memory(id: id) { return .alreadyKnown(existing) }
        let cleaned = String(
            Redactor.redact(text.trimmingCharacters(in: .whitespacesAndNewlines))
                .prefix(options.maxTextLength))
        guard !cleaned.isEmpty else { return .emptyText }
        guard let subject = try await subject(of: conversation) else { return .noSubject }
        let memory = Memory(
            id: id, kind: .knownSolution, jobName: subject.jobName, errorSignature: subject.errorSignature,
            text: cleaned, author: author,
            conversation: conversation, sourceLink: link(to: conversation), status: .active, createdAt: at)
        do {
            try await memories.record(memory)
        } catch {
            // Two confirmations at the same instant race to insert the same id: the loser finds the winner's row.
            if let existing = try await memories.memory(id: id) { return .alreadyKnown(existing) }
            throw error
        }
        logger.info(
            "known solution learned",
            metadata: [
                "memory": "\(id)", "job": "\(subject.jobName)", "source": "\(subject.source.rawValue)",
                "platform": "\(conversation.platform.rawValue)",
            ])
        return .learned(memory)
    }

    /// One id per source (reply or command), so repeating the same confirmation stores nothing new.
    static func memoryID(_ source: String) -> String {
        "known-solution-" + StableHash.hex(source)
    }

    /// A link to the message in its thread, when the platform's base URL is configured.
    public func link(to conversation: ConversationRef) -> String? {
        guard
            let base = options.linkBases[conversation.platform]?.trimmingCharacters(
                in: CharacterSet(charactersIn: "/")),
            let target = conversation.message ?? conversation.thread
        else { return nil }
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#&"))
        func encode(_ part: String) -> String { part.addingPercentEncoding(withAllowedCharacters: allowed) ?? part }
        switch conversation.platform {
        case .slack:
            let messageTS = encode(target.replacingOccurrences(of: ".", with: ""))
            let permalink = "\(base)/archives/\(encode(conversation.channel))/p\(messageTS)"
            guard let thread = conversation.thread, thread != target else { return permalink }
            return permalink + "?thread_ts=\(encode(thread))&cid=\(encode(conversation.channel))"
        case .mattermost:
            return "\(base)/_redirect/pl/\(encode(target))"
        case .teams, .web, .cli:
            return nil
        }
    }
}

/// Where the monitor's `AlertThreadSubjects` is attached once it exists.
final class AlertSubjectsSlot: Sendable {
    private let value = Mutex<(any AlertThreadSubjects)?>(nil)

    var current: (any AlertThreadSubjects)? { value.withLock { $0 } }

    func store(_ subjects: any AlertThreadSubjects) { value.withLock { $0 = subjects } }
}
