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
        let body: FeedbackRequest
        do {
            body = try await request.decode(as: FeedbackRequest.self, context: context)
        } catch {
            throw HTTPError(
                .badRequest,
                message: #"expected JSON {"answerId": "...", "polarity": "positive" | "negative"}"#)
        }
        let answerID = body.answerId.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answerID.isEmpty, answerID.count <= 128 else {
            throw HTTPError(.badRequest, message: "answerId must be 1 to 128 characters")
        }
        let user = context.identity?.user ?? "anonymous"
        let signal = body.polarity == .positive ? "thumbs_up" : "thumbs_down"
        let feedback = Feedback(
            conversation: ConversationRef(platform: .web, channel: "web", thread: nil, message: answerID), user: user,
            polarity: body.polarity, signal: signal, added: true, at: time.now())
        if let recorder = self.feedback {
            do {
                try await recorder.record(WebAnswerFeedback(answerID: answerID, feedback: feedback))
            } catch {
                context.logger.error("web feedback not stored", metadata: ["error": "\(error)"])
                throw HTTPError(.serviceUnavailable, message: "feedback could not be stored; try again later")
            }
        }
        await bot.recordFeedback(body.polarity)
        return FeedbackReceipt(stored: self.feedback != nil, answerId: answerID, polarity: body.polarity)
    }
}
