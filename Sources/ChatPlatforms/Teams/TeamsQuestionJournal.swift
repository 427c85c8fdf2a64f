import Foundation
import Logging
import ResyncCore

/// Keeps each Teams question in the chat core's durable inbound queue while the request answers it: the
/// question is queued already claimed, and the claim is completed with the card sent in the HTTP reply or
/// with the late answer's outbox item, in one transaction. If the process dies after replying "working on
/// it", the claim goes stale and the question processor answers it through the Workflows webhook, once.
public struct TeamsQuestionJournal: Sendable {
    let inbound: any ChatInboundStore
    let logger: Logger

    public init(inbound: any ChatInboundStore, logger: Logger) {
        self.inbound = inbound
        self.logger = logger
    }

    /// The token of the request's own claim; a processor that takes the question over claims it anew.
    static func token(for message: TeamsInboundMessage) -> String { "teams-request:\(message.activityID)" }

    static func workItem(_ message: TeamsInboundMessage, receivedAt: Date) -> InboundWorkItem {
        InboundWorkItem(question: message.inboundQuestion(receivedAt: receivedAt), replyInThread: true)
    }

    /// The request's claim on the question; the store identifies a claim by the item's id and the token alone.
    static func claim(for message: TeamsInboundMessage) -> InboundClaim {
        InboundClaim(item: workItem(message, receivedAt: .distantPast), token: token(for: message))
    }

    /// Queues the question before it is answered. A store failure is logged and the question still answered,
    /// without the crash protection.
    public func open(_ message: TeamsInboundMessage, receivedAt: Date) async {
        do {
            let item = Self.workItem(message, receivedAt: receivedAt)
            _ = try await inbound.enqueueClaimed(item, token: Self.token(for: message), at: receivedAt)
        } catch {
            logger.error(
                "cannot record the Teams question; it is answered without crash protection",
                metadata: ["error": "\(error)"])
        }
    }

    /// Closes the question after the synchronous reply: answered in the reply, or refused as busy.
    public func close(_ message: TeamsInboundMessage, reply: TeamsSyncReply, at: Date) async {
        let claim = Self.claim(for: message)
        do {
            switch reply {
            case .answer: try await inbound.complete(claim, replies: [], at: at)
            case .busy: try await inbound.fail(claim, error: "refused: too many Teams questions in progress", at: at)
            // The late answer completes it (`completeLate`).
            case .working: break
            }
        } catch {
            logger.warning("cannot close the Teams question", metadata: ["error": "\(error)"])
        }
    }

    /// What became of a late answer handed to `completeLate`.
    public enum LateOutcome: Sendable, Equatable {
        /// Queued in the outbox with the question's completion.
        case queued
        /// The question was never recorded: the caller queues the answer on its own.
        case notRecorded
        /// A question processor took the question over (this request's claim went stale): it answers.
        case takenOver
    }

    /// Queues the late answer's outbox item and marks the question done, atomically.
    public func completeLate(_ message: TeamsInboundMessage, reply: OutboxItem, at: Date) async throws -> LateOutcome {
        let claim = Self.claim(for: message)
        if try await inbound.complete(claim, replies: [reply], at: at) { return .queued }
        return try await inbound.item(id: claim.item.id) == nil ? .notRecorded : .takenOver
    }
}
