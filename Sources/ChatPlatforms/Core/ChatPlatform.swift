import Foundation
import ResyncCore

/// A webhook request exactly as it arrived: header names lowercased, the body's raw bytes.
public struct RawChatRequest: Sendable {
    /// Which of the platform's endpoints received it (`events`, `commands`, `interactivity`…).
    public var endpoint: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(endpoint: String, headers: [String: String], body: [UInt8]) {
        self.endpoint = endpoint
        self.headers = Dictionary(
            headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// Headers whose names are lower-case already, as HTTPTypes' canonical names are, taken as they are. Every
    /// webhook takes this path, and lower-casing each name again (Unicode-aware) was measurable there.
    public init(endpoint: String, lowercasedHeaders: [String: String], body: [UInt8]) {
        self.endpoint = endpoint
        self.headers = lowercasedHeaders
        self.body = body
    }
}

/// What a verified request asks of Resync.
public enum ChatInbound: Hashable, Sendable {
    /// The platform checks the endpoint (Slack `url_verification`): echo the challenge.
    case challenge(String)
    /// A liveness probe (Slack `ssl_check=1`): answer 200, do nothing.
    case probe
    /// A question to answer later. With `onlyInBotThreads` it is a thread reply without a mention, answered
    /// only when the bot already takes part in that thread.
    case question(InboundWorkItem, onlyInBotThreads: Bool)
    /// A reaction added or removed; `conversation.message` is the message reacted to.
    case reaction(Feedback)
    /// A button on one of Resync's messages.
    case interaction(ChatInteraction)
    /// Nothing to do (the bot's own message, an edit, an event type Resync does not use).
    case ignored(reason: String)
}

/// A click on a button of an answer or alert.
public struct ChatInteraction: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case feedback(Feedback.Polarity)
        case showLog(jobName: String)
        case explain(jobName: String)
    }

    public var dedupeKey: String
    public var action: Action
    public var user: String
    /// Channel, thread and the id of the message the button is on.
    public var conversation: ConversationRef
    /// Where to send a reply that only the clicker sees, or that edits the message.
    public var responseURL: String?
    public var receivedAt: Date

    public init(
        dedupeKey: String, action: Action, user: String, conversation: ConversationRef, responseURL: String?,
        receivedAt: Date
    ) {
        self.dedupeKey = dedupeKey
        self.action = action
        self.user = user
        self.conversation = conversation
        self.responseURL = responseURL
        self.receivedAt = receivedAt
    }
}

/// Why a webhook request was refused. Verification failures say which check failed, never the secret.
public enum ChatRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingHeader(String)
    case badTimestamp
    case staleTimestamp
    case unsupportedSignatureVersion
    case signatureMismatch
    case malformedBody(String)

    public var isAuthenticationFailure: Bool {
        switch self {
        case .malformedBody: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .missingHeader(let name): "missing header \(name)"
        case .badTimestamp: "the request timestamp is not a whole number of seconds"
        case .staleTimestamp: "the request timestamp is more than 5 minutes from the server's clock"
        case .unsupportedSignatureVersion: "unsupported signature version; expected v0=<64 hex digits>"
        case .signatureMismatch: "signature mismatch"
        case .malformedBody(let detail): "malformed request body: \(detail)"
        }
    }
}

/// One message ready to send: the platform's JSON body, without channel or thread.
public struct RenderedChatMessage: Hashable, Sendable {
    public var payload: String

    public init(payload: String) { self.payload = payload }
}

/// How a send went.
public enum DeliveryOutcome: Hashable, Sendable {
    /// Sent; the platform's id of the new message when it gave one (fallback responses give none).
    case sent(messageID: String?)
    /// The platform asked to wait (HTTP 429 `Retry-After`).
    case rateLimited(retryAfter: Duration)
    /// A failure worth another bounded attempt (timeout, 5xx).
    case retryable(reason: String)
    /// A failure another attempt cannot fix (`channel_not_found`, `invalid_auth`…).
    case permanent(reason: String)
}

/// A chat platform adapter. The core (ingress, processor, outbox) is written against this protocol only,
/// so Teams and Mattermost plug in beside Slack.
public protocol ChatPlatform: Sendable {
    var kind: ChatPlatformKind { get }
    /// The minimum spacing between two messages to one channel (Slack: about 1 s).
    var channelPacing: Duration { get }
    /// Checks the request's signature or token over the raw bytes; call before any parsing.
    func verify(_ request: RawChatRequest, now: Date) throws(ChatRequestError)
    /// Reads a verified request.
    func parse(_ request: RawChatRequest, now: Date) throws(ChatRequestError) -> ChatInbound
    /// Renders an answer as one message, or several when it is too long (the rest continue its thread).
    func render(_ answer: Answer) -> [RenderedChatMessage]
    /// Renders a short plain notice.
    func render(notice: String) -> RenderedChatMessage
    /// Sends one outbox item: a post, a threaded reply, an update or a response-URL reply.
    func deliver(_ item: OutboxItem) async -> DeliveryOutcome
    /// The conversation with its thread named by the thread's root, so that a follow-up finds what the thread is
    /// about. Platforms whose events already name the root return it unchanged (the default).
    func withThreadRoot(_ conversation: ConversationRef) async -> ConversationRef
}

extension ChatPlatform {
    public func withThreadRoot(_ conversation: ConversationRef) async -> ConversationRef { conversation }
}
