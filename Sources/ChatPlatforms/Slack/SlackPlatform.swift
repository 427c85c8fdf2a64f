import AsyncHTTPClient
import Foundation
import Logging
import ResyncCore

/// The Slack adapter: request signing, Events API / slash command / interactivity parsing, Block Kit
/// rendering and Web API delivery.
public struct SlackPlatform: ChatPlatform {
    public var kind: ChatPlatformKind { .slack }
    public let channelPacing: Duration

    let verifier: SlackSignatureVerifier
    let parser = SlackInboundParser()
    let renderer = SlackRenderer()
    let api: SlackWebAPI
    let acknowledgementLanguage: Language
    let logger: Logger

    /// - Parameters:
    ///   - apiBaseURL: `SLACK_API_BASE_URL`, `https://slack.com/api` in production.
    ///   - channelPacing: spacing of messages to one channel; Slack allows about one per second.
    ///   - language: of the slash command's immediate acknowledgement (`RESYNC_LANGUAGE`); answers use the
    ///     question's own.
    public init(
        signingSecret: Secret, botToken: Secret?, apiBaseURL: String, httpClient: HTTPClient = .shared,
        requestTimeout: Duration = .seconds(10), channelPacing: Duration = .seconds(1), language: Language = .english,
        logger: Logger
    ) throws(SlackSignatureVerifier.ConfigurationError) {
        self.verifier = try SlackSignatureVerifier(signingSecret: signingSecret)
        self.api = SlackWebAPI(
            client: httpClient, baseURL: apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL,
            token: botToken, timeout: requestTimeout, logger: logger)
        self.channelPacing = channelPacing
        self.acknowledgementLanguage = language
        self.logger = logger
    }

    public func verify(_ request: RawChatRequest, now: Date) throws(ChatRequestError) {
        try verifier.verify(request, now: now)
    }

    public func parse(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound {
        try parser.parse(request, now: now)
    }

    public func render(_ answer: Answer) -> [RenderedChatMessage] {
        renderer.render(answer).map { RenderedChatMessage(payload: $0.json()) }
    }

    public func render(notice: String) -> RenderedChatMessage {
        RenderedChatMessage(payload: renderer.render(notice: notice).json())
    }

    /// The immediate, only-you-can-see reply to a slash command while the answer is prepared.
    public func workingAcknowledgement(for text: String) -> String {
        let shown = truncated(slackEscaped(text), to: 200)
        // Every slash command is acknowledged with this body, so it is written directly: `JSONSerialization`'s
        // `Any` casts, and then `JSONEncoder`, were each the largest single cost of the acknowledgement.
        let message =
            switch acknowledgementLanguage {
            case .portuguese:
                ":hourglass_flowing_sand: Trabalhando em `\(shown)`… a resposta será publicada neste canal."
            case .english: ":hourglass_flowing_sand: Working on `\(shown)`… the answer will be posted in this channel."
            }
        return #"{"response_type":"ephemeral","text":"# + JSONStringLiteral.quoted(message) + "}"
    }

    public func deliver(_ item: OutboxItem) async -> DeliveryOutcome {
        guard var body = Self.decodePayload(item.payload) else {
            return .permanent(reason: "outbox payload is not a JSON object")
        }
        switch item.operation {
        case .post:
            body["channel"] = item.channel
            if let thread = item.threadID { body["thread_ts"] = thread }
            let result = await api.postMessage(body)
            if case .apiError(let code) = result, Self.cannotPostInChannel(code), let fallback = item.fallbackURL {
                logger.warning(
                    "bot cannot post in the channel; answering through response_url instead",
                    metadata: ["error": "\(code)", "channel": "\(item.channel)"])
                ChatMetrics.platformError(.slack, code)
                var response = body
                response["channel"] = nil
                response["thread_ts"] = nil
                response["response_type"] = "in_channel"
                return outcome(of: await api.respond(url: fallback, response), method: "response_url")
            }
            return outcome(of: result, method: "chat.postMessage")
        case .update:
            guard let target = item.targetMessageID else { return .permanent(reason: "update without a message ts") }
            body["channel"] = item.channel
            body["ts"] = target
            return outcome(of: await api.update(body), method: "chat.update")
        case .respond:
            guard let url = item.fallbackURL else { return .permanent(reason: "response without a response_url") }
            body["response_type"] = "ephemeral"
            body["replace_original"] = false
            return outcome(of: await api.respond(url: url, body), method: "response_url")
        }
    }

    func outcome(of result: SlackCallResult, method: String) -> DeliveryOutcome {
        switch result {
        case .ok(let ts):
            return .sent(messageID: ts)
        case .rateLimited(let retryAfter):
            logger.warning("Slack rate limit", metadata: ["method": "\(method)", "retry_after": "\(retryAfter)"])
            return .rateLimited(retryAfter: retryAfter)
        case .apiError(let code):
            ChatMetrics.platformError(.slack, code)
            if code == "ratelimited" { return .rateLimited(retryAfter: .seconds(1)) }
            if Self.transientErrors.contains(code) { return .retryable(reason: "\(method): \(code)") }
            logger.error(
                "Slack refused the call",
                metadata: ["method": "\(method)", "error": "\(code)", "hint": "\(Self.hint(for: code))"])
            return .permanent(reason: "\(method): \(code) — \(Self.hint(for: code))")
        case .httpError(let status):
            ChatMetrics.platformError(.slack, "http_error")
            if status == 429 || status >= 500 || status == 408 {
                return .retryable(reason: "\(method): HTTP \(status)")
            }
            return .permanent(reason: "\(method): HTTP \(status)")
        case .transport(let detail):
            ChatMetrics.platformError(.slack, "transport")
            return .retryable(reason: "\(method): \(detail)")
        }
    }

    static let transientErrors: Set<String> = [
        "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    ]

    static func cannotPostInChannel(_ code: String) -> Bool {
        ["not_in_channel", "channel_not_found", "is_archived", "restricted_action"].contains(code)
    }

    static func hint(for code: String) -> String {
        switch code {
        case "not_in_channel": "invite the bot to the channel (/invite @Resync)"
        case "channel_not_found": "the channel id is wrong or the bot cannot see it"
        case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
            "SLACK_BOT_TOKEN is wrong or revoked; reinstall the app and copy the Bot User OAuth Token"
        case "missing_scope": "add the missing scope to the Slack app (see docs/SLACK.md) and reinstall"
        case "msg_too_long", "msg_blocks_too_long", "invalid_blocks": "the rendered message was refused; report it"
        default: "see https://api.slack.com/methods for the error code"
        }
    }

    static func decodePayload(_ payload: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
    }
}
