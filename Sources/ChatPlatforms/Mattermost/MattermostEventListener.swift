import Foundation
import HummingbirdWSClient
import Logging
import Metrics
import NIOCore
import NIOWebSocket
import ResyncCore
import ServiceLifecycle
import Synchronization

/// Listens on Mattermost's WebSocket (`/api/v4/websocket`) as the bot and turns `reaction_added` /
/// `reaction_removed` events into `Feedback` for the sink. Authenticates with an `authentication_challenge`,
/// reconnects after a drop with capped exponential backoff, and closes the socket on graceful shutdown.
/// Run it in the ServiceGroup.
public final class MattermostEventListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// `MATTERMOST_URL` (http/https); the socket URL is derived from it (ws/wss).
        public var baseURL: String
        public var botToken: Secret
        /// The bot's own user id; its reactions are ignored. Learned from `GET /users/me` at start-up.
        public var botUserID: String?
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        /// Pings keep NATs open and reveal a dead connection.
        public var pingInterval: Duration

        public init(
            baseURL: String, botToken: Secret, botUserID: String? = nil, initialBackoff: Duration = .seconds(1),
            maximumBackoff: Duration = .seconds(60), pingInterval: Duration = .seconds(30)
        ) {
            self.baseURL = baseURL
            self.botToken = botToken
            self.botUserID = botUserID
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.pingInterval = pingInterval
        }

        /// `https://host/path` → `wss://host/path/api/v4/websocket`.
        public var webSocketURL: String {
            var base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            if base.lowercased().hasPrefix("https://") {
                base = "wss://" + base.dropFirst("https://".count)
            } else if base.lowercased().hasPrefix("http://") {
                base = "ws://" + base.dropFirst("http://".count)
            }
            return base + "/api/v4/websocket"
        }

        /// The wait before reconnect attempt `failures + 1`: doubles per consecutive failure, capped.
        public func backoff(afterFailures failures: Int) -> Duration {
            var delay = initialBackoff
            for _ in 0..<min(failures, 30) where delay < maximumBackoff { delay *= 2 }
            return min(delay, maximumBackoff)
        }
    }

    private let configuration: Configuration
    private let reactionMap: MattermostReactionMap
    private let sink: any MattermostFeedbackSink
    private let time: any TimeSource
    private let logger: Logger
    private let state = Mutex(ConnectionCounters())

    struct ConnectionCounters {
        var authenticated = 0
        var feedbackDelivered = 0
    }

    public init(
        configuration: Configuration, reactionMap: MattermostReactionMap = MattermostReactionMap(),
        sink: any MattermostFeedbackSink, time: any TimeSource = SystemTimeSource(), logger: Logger
    ) {
        self.configuration = configuration
        self.reactionMap = reactionMap
        self.sink = sink
        self.time = time
        self.logger = logger
    }

    /// Connections that completed the authentication challenge since start (for health and tests).
    public var authenticatedConnections: Int { state.withLock { $0.authenticated } }

    /// Reactions handed to the sink since start.
    public var feedbackDelivered: Int { state.withLock { $0.feedbackDelivered } }

    public func run() async {
        var failures = 0
        // The count of reconnects is not bounded on purpose: staying connected is this service's job. The
        // wait between attempts is bounded (maximumBackoff), and shutdown ends the loop.
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let before = authenticatedConnections
            do {
                try await connectOnce()
            } catch {
                logger.warning("Mattermost WebSocket connection failed", metadata: ["error": "\(Self.describe(error))"])
            }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            Self.count("disconnected")
            failures = authenticatedConnections > before ? 0 : failures + 1
            let delay = configuration.backoff(afterFailures: failures)
            logger.info(
                "Mattermost WebSocket reconnecting", metadata: ["delay": "\(delay)", "failures": "\(failures)"])
            do {
                try await cancelWhenGracefulShutdown { try await self.time.sleep(for: delay) }
            } catch {
                break
            }
        }
    }

    /// One connection: authenticate, then read events until the server or a shutdown closes it.
    private func connectOnce() async throws {
        let writer = WriterBox()
        let url = configuration.webSocketURL
        let socketConfiguration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: configuration.pingInterval))
        let challenge = MattermostAuthenticationChallenge.message(token: configuration.botToken.value)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await WebSocketClient.connect(url: url, configuration: socketConfiguration, logger: self.logger)
                {
                    inbound, outbound, _ in
                    writer.current.withLock { $0 = outbound }
                    try await outbound.write(.text(challenge))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        await self.handle(text)
                    }
                }
            }
            group.addTask {
                // Close the socket cleanly when the service group shuts down; the read loop then ends.
                try await gracefulShutdown()
                let current = writer.current.withLock { $0 }
                try? await current?.close(.normalClosure, reason: "shutting down")
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func handle(_ text: String) async {
        guard let frame = MattermostWebSocketFrame.decode(text) else { return }
        if frame.seqReply == 1 {
            if frame.status == "OK" {
                state.withLock { $0.authenticated += 1 }
                Self.count("authenticated")
                logger.info("Mattermost WebSocket authenticated")
            } else {
                logger.error("Mattermost WebSocket authentication refused; check MATTERMOST_BOT_TOKEN")
                Self.count("refused")
            }
            return
        }
        if frame.event == "posted" {
            await handlePosted(frame)
            return
        }
        guard let event = frame.event, event == "reaction_added" || event == "reaction_removed" else { return }
        guard let reaction = frame.reaction else {
            logger.debug("Mattermost reaction event without a readable reaction")
            return
        }
        if let bot = configuration.botUserID, reaction.userID == bot { return }
        guard let channelID = frame.broadcast?.channelID.flatMap({ $0.isEmpty ? nil : $0 }) ?? reaction.channelID else {
            return
        }
        guard
            let feedback = reactionMap.feedback(
                for: reaction, channelID: channelID, added: event == "reaction_added", receivedAt: time.now())
        else { return }
        await sink.receive(feedback)
        state.withLock { $0.feedbackDelivered += 1 }
        Self.count("feedback")
    }

    /// A user's reply in a thread goes to the sink (for learning); roots and the bot's own posts do not.
    private func handlePosted(_ frame: MattermostWebSocketFrame) async {
        guard let post = frame.post, !post.rootID.isEmpty, !post.userID.isEmpty,
            post.userID != configuration.botUserID
        else { return }
        let channelID = post.channelID.isEmpty ? frame.broadcast?.channelID ?? "" : post.channelID
        guard !channelID.isEmpty else { return }
        let reply = InboundQuestion(
            dedupeKey: "mattermost:post:\(post.id)", text: post.message, user: post.userID,
            conversation: ConversationRef(
                platform: .mattermost, channel: channelID, thread: post.rootID, message: post.id),
            receivedAt: time.now())
        await sink.receiveThreadReply(reply)
        Self.count("thread_reply")
    }

    /// Lets the shutdown watcher reach the writer of the connection the client opened.
    private final class WriterBox: Sendable {
        let current = Mutex<WebSocketOutboundWriter?>(nil)
    }

    /// Bounded labels: authenticated, refused, disconnected, feedback, thread_reply.
    private static func count(_ event: String) {
        Counter(label: "resync_mattermost_websocket_events_total", dimensions: [("event", event)]).increment()
    }

    private static func describe(_ error: any Error) -> String {
        String(describing: type(of: error))
    }
}
