import Foundation
import Logging
import ResyncCore

/// Records every answer given in a chat conversation as an `answeredQuestion` memory whose id is the answer's id,
/// so feedback on the posted message (joined to the answer id by the chat core) lands on that memory.
public struct AnsweredQuestionRecorder: QuestionAnswering {
    let answering: any QuestionAnswering
    let memories: any MemoryStore
    let logger: Logger

    public init(answering: any QuestionAnswering, memories: any MemoryStore, logger: Logger) {
        self.answering = answering
        self.memories = memories
        self.logger = logger
    }

    public func answer(_ question: String, context: QuestionContext) async -> Answer {
        let answer = await answering.answer(question, context: context)
        guard let memory = Self.memory(for: answer, context: context) else { return answer }
        do {
            try await memories.record(memory)
        } catch {
            // Losing the memory must not lose the answer; it is logged and the reply goes out.
            logger.warning(
                "could not record the answer as a memory",
                metadata: ["answer": "\(answer.id)", "error": "\(String(reflecting: type(of: error)))"])
        }
        return answer
    }

    /// Help and greetings teach nothing; only answers in a conversation can receive feedback.
    static func memory(for answer: Answer, context: QuestionContext) -> Memory? {
        guard let conversation = context.conversation, ![.help, .learn].contains(answer.parsed.intent) else {
            return nil
        }
        return Memory(
            id: answer.id, kind: .answeredQuestion, jobName: answer.parsed.jobName,
            errorSignature: failureSignature(of: answer), question: answer.question,
            text: answer.headline, author: context.user, conversation: conversation,
            usedKnowledgeKeys: answer.sources.filter { $0.kind == .knowledge }.map(\.id),
            usedMemoryIDs: answer.sources.filter { $0.kind == .memory }.map(\.id), createdAt: answer.createdAt)
    }
}

extension AnsweredQuestionRecorder {
    /// `ABEND RC=12` when the answer is about one job and shows it failed: a known solution learned in the
    /// answer's thread is then filed under that failure (see docs/LEARNING.md).
    static func failureSignature(of answer: Answer) -> String? {
        guard answer.parsed.jobName != nil,
            let failed = answer.liveStatus?.jobs.first(where: { $0.job.commonStatus == .error })?.job
        else { return nil }
        return failed.failureSignature
    }
}

/// Stores chat feedback as before and applies it to the answer's memory and to each memory that answer used.
public struct MemoryFeedbackForwarder: AnswerFeedbackStore {
    let store: any AnswerFeedbackStore
    let memories: any MemoryStore
    let logger: Logger

    public init(store: any AnswerFeedbackStore, memories: any MemoryStore, logger: Logger) {
        self.store = store
        self.memories = memories
        self.logger = logger
    }

    public func record(_ feedback: AnswerFeedback) async throws {
        try await store.record(feedback)
        guard let answerID = feedback.answerID, let memory = try await memories.memory(id: answerID) else { return }
        for id in [memory.id] + memory.usedMemoryIDs {
            do {
                try await memories.applyFeedback(memoryID: id, feedback.feedback)
            } catch {
                // A used memory may have been purged since; the answer's own row is already stored.
                logger.notice(
                    "feedback not applied to a memory", metadata: ["memory": "\(id)", "error": "\(error)"])
            }
        }
    }

    public func feedback(answerID: String) async throws -> [AnswerFeedback] {
        try await store.feedback(answerID: answerID)
    }

    public func recent(since: Date, limit: Int) async throws -> [AnswerFeedback] {
        try await store.recent(since: since, limit: limit)
    }
}
