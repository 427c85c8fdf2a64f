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
        let answerer = teams.answerer
        await teams.journal.open(message, receivedAt: now)
        let reply = await teams.responder.respond(within: teams.replyBudget, for: message) {
            await answerer.answer(message, receivedAt: now)
        }
        await teams.journal.close(message, reply: reply, at: time.now())
        let body = reply.body(renderer: teams.renderer, language: teams.language).serialized()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
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
