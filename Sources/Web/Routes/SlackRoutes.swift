import ChatPlatforms
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import ResyncCore

extension Router where Context == AppRequestContext {
    /// `POST /slack/events`, `/slack/commands`, `/slack/interactivity`: verify the signature over the raw
    /// body first, record durably, acknowledge at once; answers follow through the outbox.
    func addSlackRoutes(_ chat: ChatRuntime) {
        guard let slack = chat.slack else { return }
        let handler = SlackRequestHandler(slack: slack, chat: chat)
        for endpoint in ["events", "commands", "interactivity"] {
            post("/slack/\(endpoint)") { request, context in
                try await handler.handle(endpoint: endpoint, request: request, context: context)
            }
        }
    }
}

struct SlackRequestHandler: Sendable {
    let slack: SlackPlatform
    let chat: ChatRuntime

    func handle(endpoint: String, request: Request, context: AppRequestContext) async throws -> Response {
        let raw = try await RawChatRequest.collecting(endpoint: endpoint, from: request, context: context)
        let now = chat.time.now()
        do {
            try slack.verify(raw, now: now)
        } catch {
            Counter(label: "resync_chat_rejected_total", dimensions: [("platform", "slack"), ("reason", "signature")])
                .increment()
            context.logger.warning(
                "Slack request refused", metadata: ["reason": "\(error)", "endpoint": "\(endpoint)"])
            throw HTTPError(.unauthorized, message: "Slack request verification failed: \(error)")
        }
        if let retry = raw.headers["x-slack-retry-num"] {
            context.logger.info(
                "Slack redelivery",
                metadata: ["retry_num": "\(retry)", "retry_reason": "\(raw.headers["x-slack-retry-reason"] ?? "-")"])
        }
        let inbound: ChatInbound
        do {
            inbound = try slack.parse(raw, now: now)
        } catch {
            Counter(label: "resync_chat_rejected_total", dimensions: [("platform", "slack"), ("reason", "malformed")])
                .increment()
            throw HTTPError(.badRequest, message: "\(error)")
        }
        switch inbound {
        case .challenge(let challenge):
            return Self.json(["challenge": challenge])
        case .probe:
            return Response(status: .ok)
        default:
            break
        }
        let outcome = try await chat.ingress.record(inbound, platform: slack)
        if case .ignored(let reason) = outcome {
            context.logger.debug("Slack event ignored", metadata: ["reason": "\(reason)"])
        }
        if endpoint == "commands", case .question(let item, _) = inbound {
            return Self.jsonText(slack.workingAcknowledgement(for: item.question.text))
        }
        return Response(status: .ok)
    }

    static func json(_ object: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return jsonText(String(decoding: data, as: UTF8.self))
    }

    static func jsonText(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
