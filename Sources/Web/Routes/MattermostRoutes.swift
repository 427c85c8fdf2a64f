import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import ResyncCore

extension Router where Context == AppRequestContext {
    /// `POST /mattermost/command` (slash command) and `/mattermost/webhook` (outgoing webhook): check the token
    /// before anything else, record durably, acknowledge at once; the bot posts the answer through the outbox.
    func addMattermostRoutes(_ chat: ChatRuntime) {
        guard let mattermost = chat.mattermost else { return }
        let handler = MattermostRequestHandler(platform: mattermost.platform, language: mattermost.language, chat: chat)
        for endpoint in ["command", "webhook"] {
            post("/mattermost/\(endpoint)") { request, context in
                try await handler.handle(endpoint: endpoint, request: request, context: context)
            }
        }
    }
}

struct MattermostRequestHandler: Sendable {
    let platform: MattermostPlatform
    let language: Language
    let chat: ChatRuntime

    func handle(endpoint: String, request: Request, context: AppRequestContext) async throws -> Response {
        let raw = try await RawChatRequest.collecting(endpoint: endpoint, from: request, context: context)
        let now = chat.time.now()
        let inbound: ChatInbound
        do {
            try platform.verify(raw, now: now)
            inbound = try platform.parse(raw, now: now)
        } catch {
            throw refusal(error, endpoint: endpoint, context: context)
        }
        let outcome = try await chat.ingress.record(inbound, platform: platform)
        if case .ignored(let reason) = outcome {
            context.logger.debug("Mattermost request ignored", metadata: ["reason": "\(reason)"])
        }
        guard endpoint == "command", case .question(let item, _) = inbound else {
            return Self.json(MattermostAcknowledgement.outgoingWebhook)
        }
        return Self.json(MattermostAcknowledgement.command(question: item.question.text, language: language))
    }

    func refusal(_ error: ChatRequestError, endpoint: String, context: AppRequestContext) -> HTTPError {
        let authentication = error.isAuthenticationFailure
        Counter(
            label: "resync_chat_rejected_total",
            dimensions: [("platform", "mattermost"), ("reason", authentication ? "token" : "malformed")]
        ).increment()
        context.logger.warning(
            "Mattermost request refused", metadata: ["reason": "\(error)", "endpoint": "\(endpoint)"])
        return HTTPError(
            authentication ? .unauthorized : .badRequest, message: "Mattermost request refused: \(error)")
    }

    static func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
