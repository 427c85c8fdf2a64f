import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import ResyncCore

extension Router where Context == AppRequestContext {
    /// `POST /teams/webhook` (outgoing webhook): verify the HMAC over the raw body, refuse stale or replayed
    /// activities, then reply within Teams' 5-second limit — the answer's card, or "working on it" with the
    /// answer following through the Workflows webhook.
    func addTeamsRoutes(_ chat: ChatRuntime) {
        guard let teams = chat.teams, let receiver = teams.receiver else { return }
        let handler = TeamsRequestHandler(teams: teams, receiver: receiver, time: chat.time)
        post("/teams/webhook") { request, context in
            try await handler.handle(request: request, context: context)
        }
    }
}

struct TeamsRequestHandler: Sendable {
    let teams: TeamsChat
    let receiver: TeamsWebhookReceiver
    let time: any TimeSource

    func handle(request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let now = time.now()
        let message: TeamsInboundMessage
        do {
            message = try await receiver.receive(
                authorization: request.headers[.authorization], body: Array(buffer.readableBytesView), now: now)
        } catch {
            throw refusal(error, context: context)
        }
        if let learned = await learn(message, at: now, logger: context.logger) { return Self.json(learned) }
        let answerer = teams.answerer
        await teams.journal.open(message, receivedAt: now)
        let reply = await teams.responder.respond(within: teams.replyBudget, for: message) {
            await answerer.answer(message, receivedAt: now)
        }
        await teams.journal.close(message, reply: reply, at: time.now())
        return Self.json(reply.body(renderer: teams.renderer, language: teams.language))
    }

    static func json(_ body: TeamsJSON) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }

    /// `learn <solution>` in a reply chain becomes a known solution for the chain's job; the reply confirms it
    /// (or says why nothing was learned). Nil when the message is not a learn command or learning is off.
    func learn(_ message: TeamsInboundMessage, at now: Date, logger: Logger) async -> TeamsJSON? {
        guard let learner = teams.learner, let text = LearnCommand.text(of: message.text) else { return nil }
        let question = message.inboundQuestion(receivedAt: now)
        do {
            let outcome = try await learner.learnCommand(
                text: text, key: question.dedupeKey, author: question.user, conversation: question.conversation,
                at: now)
            return TeamsMessage.card(teams.renderer.card(notice: outcome.confirmation))
        } catch {
            logger.error("cannot learn from Teams", metadata: ["error": "\(error)"])
            return TeamsMessage.text(AnswerPresentation(language: teams.language).learnFailed)
        }
    }

    /// 401 for a failed signature, 409 for a replayed or stale activity, 400 for a body that is not an activity.
    func refusal(_ error: TeamsRequestError, context: AppRequestContext) -> HTTPError {
        let (status, reason): (HTTPResponse.Status, String) =
            switch error {
            case .missingAuthorization, .unsupportedScheme, .signatureMismatch, .emptyBody: (.unauthorized, "signature")
            case .replayedActivity, .staleTimestamp: (.conflict, "replay")
            case .malformedBody: (.badRequest, "malformed")
            }
        Counter(label: "resync_chat_rejected_total", dimensions: [("platform", "teams"), ("reason", reason)])
            .increment()
        context.logger.warning("Teams request refused", metadata: ["reason": "\(error)"])
        return HTTPError(status, message: "Teams request refused: \(error)")
    }
}
