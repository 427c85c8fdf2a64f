import Foundation
import Logging
import ResyncCore

/// The Mattermost adapter for the chat core: token checks, slash command and outgoing webhook parsing,
/// Markdown rendering (chunked) and REST delivery with the bot account. Endpoints: `command`, `webhook`.
public struct MattermostPlatform: ChatPlatform {
    public var kind: ChatPlatformKind { .mattermost }
    public let channelPacing: Duration

    let reader: MattermostRequestReader
    let client: MattermostAPIClient
    let renderer: MattermostMarkdownRenderer

    public init(
        reader: MattermostRequestReader, client: MattermostAPIClient,
        renderer: MattermostMarkdownRenderer = MattermostMarkdownRenderer(),
        channelPacing: Duration = .milliseconds(200)
    ) {
        self.reader = reader
        self.client = client
        self.renderer = renderer
        self.channelPacing = channelPacing
    }

    /// Mattermost signs nothing: verification is the token check, which reads the token from the body.
    public func verify(_ request: RawChatRequest, now: Date) throws(ChatRequestError) {
        _ = try read(request, now: now)
    }

    public func parse(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound {
        try read(request, now: now)
    }

    public func render(_ answer: Answer) -> [RenderedChatMessage] {
        renderer.render(answer).map { RenderedChatMessage(payload: Self.payload($0)) }
    }

    public func render(notice: String) -> RenderedChatMessage {
        RenderedChatMessage(payload: Self.payload(notice))
    }

    /// An outgoing webhook names the triggering post, which may be a reply: the thread is its root. When the
    /// lookup fails the post stays the thread (delivery looks the root up again before posting).
    public func withThreadRoot(_ conversation: ConversationRef) async -> ConversationRef {
        guard let thread = conversation.thread, let post = try? await client.post(id: thread) else {
            return conversation
        }
        var rooted = conversation
        rooted.thread = post.threadRoot
        return rooted
    }

    public func deliver(_ item: OutboxItem) async -> DeliveryOutcome {
        guard item.operation == .post else { return .permanent(reason: "Mattermost supports new posts only") }
        guard let data = item.payload.data(using: .utf8),
            let message = (try? JSONDecoder().decode([String: String].self, from: data))?["message"]
        else { return .permanent(reason: "outbox payload has no message") }
        var root = item.threadID
        if let thread = item.threadID {
            // The thread id may be a reply (an outgoing-webhook trigger); `root_id` must be the thread's root.
            do { root = try await client.post(id: thread).threadRoot } catch {
                return .retryable(reason: "looking up the thread root: \(error)")
            }
        }
        switch await client.sendCreatePost(channelID: item.channel, message: message, rootID: root) {
        case .success(let post): return .sent(messageID: post.id)
        case .rateLimited(let retryAfter): return .rateLimited(retryAfter: retryAfter)
        case .retryable(let reason): return .retryable(reason: reason)
        case .permanent(let reason): return .permanent(reason: reason)
        }
    }

    private func read(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound {
        do throws(MattermostRequestError) {
            switch request.endpoint {
            case "command":
                let command = try reader.slashCommand(headers: request.headers, body: request.body)
                let item = InboundWorkItem(
                    question: command.inboundQuestion(receivedAt: now), replyInThread: command.rootID != nil,
                    fallbackURL: command.responseURL)
                return .question(item, onlyInBotThreads: false)
            case "webhook":
                let message = try reader.outgoingWebhook(headers: request.headers, body: request.body)
                let item = InboundWorkItem(question: message.inboundQuestion(receivedAt: now), replyInThread: true)
                return .question(item, onlyInBotThreads: false)
            default:
                return .ignored(reason: "unknown Mattermost endpoint \(request.endpoint)")
            }
        } catch {
            throw Self.map(error)
        }
    }

    static func payload(_ message: String) -> String {
        let data = (try? JSONEncoder().encode(["message": message])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func map(_ error: MattermostRequestError) -> ChatRequestError {
        switch error {
        case .missingToken: .missingHeader("Authorization: Token")
        case .tokenMismatch: .signatureMismatch
        case .unsupportedContentType(let type): .malformedBody("unsupported Content-Type \(type)")
        case .malformedBody(let detail): .malformedBody(detail)
        }
    }
}

/// Hands WebSocket reactions to the chat core, which matches them to the bot's posts through the outbox.
public struct ChatIngressFeedbackSink: MattermostFeedbackSink {
    let ingress: ChatIngress
    let platform: MattermostPlatform
    let logger: Logger

    public init(ingress: ChatIngress, platform: MattermostPlatform, logger: Logger) {
        self.ingress = ingress
        self.platform = platform
        self.logger = logger
    }

    public func receive(_ feedback: Feedback) async {
        do {
            _ = try await ingress.record(.reaction(feedback), platform: platform)
        } catch {
            logger.error("Mattermost reaction could not be recorded", metadata: ["error": "\(error)"])
        }
    }

    public func receiveThreadReply(_ reply: InboundQuestion) async {
        do {
            _ = try await ingress.recordThreadReply(reply, platform: platform)
        } catch {
            logger.error("Mattermost thread reply could not be kept", metadata: ["error": "\(error)"])
        }
    }
}
