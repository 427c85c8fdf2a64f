import Foundation
import Hummingbird
import Logging
import NIOCore
import ResyncCore

/// `GET /` (the web chat page) and `POST /api/feedback` (👍/👎 on an answer shown in it).
struct WebChatRoutes: Sendable {
    let templates: WebTemplates
    let defaultLanguage: Language
    let feedback: (any WebFeedbackRecording)?
    let bot: BotActivityMeter
    let time: any TimeSource

    /// How long `/api/ask` answers are remembered for votes; the dashboard poller forgets older ones.
    static let answerRetentionDays = 30

    /// `POST /api/feedback` body.
    struct FeedbackRequest: Decodable {
        var answerId: String
        var polarity: Feedback.Polarity
        var jobName: String?
    }

    struct FeedbackReceipt: ResponseEncodable {
        /// False when no feedback store is wired in this process: the vote is then only counted on the dashboard.
        var stored: Bool
        var answerId: String
        var polarity: Feedback.Polarity
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context in
            let language = UILanguage.of(request, default: defaultLanguage)
            var chrome = PageChrome(language: language, identity: context.identity)
            chrome.isChat = true
            struct Page { var chrome: PageChrome }
            return HTMLPage(html: templates.render(Page(chrome: chrome), template: "chat"))
        }
        router.post("/api/feedback") { request, context in try await recordFeedback(request, context) }
    }

    func recordFeedback(_ request: Request, _ context: AppRequestContext) async throws -> FeedbackReceipt {
        var request = request
        // Over 1 MiB is the 413 collectBody throws; anything else wrong with the body is a 400.
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do throws(FeedbackError) {
            let vote = try Self.vote(from: body, user: context.identity?.user ?? "anonymous", at: time.now())
            return try await record(vote, logger: context.logger)
        } catch {
            throw error.httpError
        }
    }

    /// The vote a body describes, as the web chat sends it.
    static func vote(from body: ByteBuffer, user: String, at now: Date) throws(FeedbackError) -> WebAnswerFeedback {
        guard let request = try? JSONDecoder().decode(FeedbackRequest.self, from: Data(body.readableBytesView)) else {
            throw .malformed
        }
        let answerID = request.answerId.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answerID.isEmpty, answerID.count <= 128 else { throw .badAnswerID }
        let feedback = Feedback(
            conversation: ConversationRef(platform: .web, channel: "web", thread: nil, message: answerID), user: user,
            polarity: request.polarity, signal: WebAnswerFeedback.voteSignal, added: true, at: now)
        return WebAnswerFeedback(answerID: answerID, feedback: feedback)
    }

    /// Stores the vote and counts it on the dashboard once per user and answer.
    func record(_ vote: WebAnswerFeedback, logger: Logger) async throws(FeedbackError) -> FeedbackReceipt {
        let polarity = vote.feedback.polarity
        let receipt = FeedbackReceipt(stored: feedback != nil, answerId: vote.answerID, polarity: polarity)
        guard let store = feedback else {
            // No store in this process (a test or a partial wiring): the dashboard is all there is.
            await bot.recordFeedback(polarity)
            return receipt
        }
        let outcome: WebVoteOutcome
        do {
            outcome = try await store.record(vote)
        } catch WebFeedbackError.unknownAnswer(let id) {
            throw .unknownAnswer(id)
        } catch {
            logger.error("web feedback not stored", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            throw .notStored
        }
        switch outcome {
        case .new: await bot.recordFeedback(polarity)
        case .changed(let earlier): await bot.replaceFeedback(earlier, with: polarity)
        case .unchanged: break
        }
        return receipt
    }
}

/// Why `POST /api/feedback` refused a vote; each message says what to do.
enum FeedbackError: Error, Equatable {
    case malformed
    case badAnswerID
    case unknownAnswer(String)
    case notStored

    var httpError: HTTPError {
        switch self {
        case .malformed:
            HTTPError(.badRequest, message: #"expected JSON {"answerId": "...", "polarity": "positive" | "negative"}"#)
        case .badAnswerID: HTTPError(.badRequest, message: "answerId must be 1 to 128 characters")
        case .unknownAnswer(let id):
            HTTPError(
                .notFound,
                message:
                    "no answer '\(id.prefix(64))' was given here (or it is over \(WebChatRoutes.answerRetentionDays)"
                    + " days old); vote on an answer from POST /api/ask, with its id")
        case .notStored: HTTPError(.serviceUnavailable, message: "feedback could not be stored; try again later")
        }
    }
}
