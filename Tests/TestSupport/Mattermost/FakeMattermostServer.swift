import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// A local Mattermost: REST API v4 (`POST /api/v4/posts`, `GET /api/v4/posts/{id}`, `GET /api/v4/users/me`)
/// with bearer-token checks and `X-Ratelimit-*` headers, and `/api/v4/websocket` with the authentication
/// challenge, a `hello` event and server-pushed events. Tests drive it through `state`.
public final class FakeMattermostServer: Sendable {
    public let botToken: String
    public let botUserID: String
    public let state = FakeMattermostState()

    public init(botToken: String = "bot-token-fake", botUserID: String = "botuserid00000000000000000") {
        self.botToken = botToken
        self.botUserID = botUserID
    }

    public func application(logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        addRESTRoutes(to: router)
        let state = self.state
        let token = botToken
        return Application(
            router: router,
            server: .http1WebSocketUpgrade { head, _, _ in
                guard head.path?.hasPrefix("/api/v4/websocket") == true else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await FakeMattermostSocket.serve(
                        inbound: inbound, outbound: outbound, token: token, state: state)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
    }

    private func addRESTRoutes(to router: Router<BasicRequestContext>) {
        let state = self.state
        let authorized = "Bearer \(botToken)"
        let me = ["id": botUserID, "username": "resync"]
        router.post("/api/v4/posts") { request, _ -> Response in
            guard request.headers[.authorization] == authorized else {
                return Self.json(["message": "invalid token"], status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(body.readableBytesView)),
                let channel = fields["channel_id"], let message = fields["message"]
            else { return Self.json(["message": "bad post"], status: .badRequest) }
            switch await state.createPost(channelID: channel, message: message, rootID: fields["root_id"] ?? "") {
            case .created(let post, let remaining):
                var response = Self.json(post.json, status: .created)
                response.headers[HTTPField.Name("X-Ratelimit-Limit")!] = "10"
                response.headers[HTTPField.Name("X-Ratelimit-Remaining")!] = String(remaining)
                response.headers[HTTPField.Name("X-Ratelimit-Reset")!] = "1"
                return response
            case .rateLimited:
                var response = Response(
                    status: .tooManyRequests, body: .init(byteBuffer: ByteBuffer(string: "limit exceeded")))
                response.headers[.retryAfter] = "0"
                response.headers[HTTPField.Name("X-Ratelimit-Remaining")!] = "0"
                return response
            case .badRoot:
                return Self.json(["message": "Invalid RootId parameter."], status: .badRequest)
            }
        }
        router.get("/api/v4/posts/{id}") { request, context -> Response in
            guard request.headers[.authorization] == authorized else {
                return Self.json(["message": "invalid token"], status: .unauthorized)
            }
            guard let id = context.parameters.get("id"), let post = await state.post(id: id) else {
                return Self.json(["message": "not found"], status: .notFound)
            }
            return Self.json(post.json, status: .ok)
        }
        router.get("/api/v4/users/me") { request, _ -> Response in
            guard request.headers[.authorization] == authorized else {
                return Self.json(["message": "invalid token"], status: .unauthorized)
            }
            return Self.json(me, status: .ok)
        }
    }

    static func json(_ object: [String: String], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONEncoder().encode(object)) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A post stored by the fake server.
public struct FakeMattermostPost: Hashable, Sendable {
    public var id: String
    public var channelID: String
    public var rootID: String
    public var message: String
    public var userID: String

    var json: [String: String] {
        ["id": id, "channel_id": channelID, "root_id": rootID, "message": message, "user_id": userID]
    }
}

/// Everything the fake server saw and will do next.
public actor FakeMattermostState {
    enum CreateResult {
        case created(FakeMattermostPost, remaining: Int)
        case rateLimited
        case badRoot
    }

    public private(set) var posts: [FakeMattermostPost] = []
    public private(set) var rateLimitedResponses = 0
    public private(set) var authenticatedSockets = 0
    public private(set) var refusedSockets = 0
    private var rateLimitNext = 0
    private var sockets: [Int: AsyncStream<FakeMattermostSocket.Push>.Continuation] = [:]
    private var nextSocket = 0

    /// Posts written through the API by the bot (seeded posts excluded).
    public var botPosts: [FakeMattermostPost] { posts.filter { $0.userID == "bot" } }

    /// Answers the next `count` post creations with 429.
    public func rateLimitNextPosts(_ count: Int) { rateLimitNext = count }

    /// Adds a post written by a user, e.g. the message that fired an outgoing webhook.
    @discardableResult
    public func seedPost(channelID: String, message: String, rootID: String = "", userID: String = "user1")
        -> FakeMattermostPost
    {
        let post = FakeMattermostPost(
            id: Self.newID(), channelID: channelID, rootID: rootID, message: message, userID: userID)
        posts.append(post)
        return post
    }

    func createPost(channelID: String, message: String, rootID: String) -> CreateResult {
        if rateLimitNext > 0 {
            rateLimitNext -= 1
            rateLimitedResponses += 1
            return .rateLimited
        }
        // Like the real server, a reply must name an existing root post of the same channel.
        if !rootID.isEmpty,
            !posts.contains(where: { $0.id == rootID && $0.rootID.isEmpty && $0.channelID == channelID })
        {
            return .badRoot
        }
        let post = FakeMattermostPost(
            id: Self.newID(), channelID: channelID, rootID: rootID, message: message, userID: "bot")
        posts.append(post)
        return .created(post, remaining: 9)
    }

    func post(id: String) -> FakeMattermostPost? { posts.first { $0.id == id } }

    /// Sends a `reaction_added` / `reaction_removed` event to every authenticated socket; the reaction is a
    /// JSON string inside the event JSON, as the real server sends it.
    public func broadcastReaction(added: Bool, userID: String, postID: String, emoji: String, channelID: String) {
        let reaction: [String: Any] = [
            "user_id": userID, "post_id": postID, "emoji_name": emoji, "create_at": 1_764_140_000_000,
        ]
        let reactionText = String(
            decoding: (try? JSONSerialization.data(withJSONObject: reaction)) ?? Data(), as: UTF8.self)
        let event: [String: Any] = [
            "event": added ? "reaction_added" : "reaction_removed", "data": ["reaction": reactionText],
            "broadcast": ["omit_users": NSNull(), "user_id": "", "channel_id": channelID, "team_id": ""], "seq": 7,
        ]
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: event)) ?? Data(), as: UTF8.self)
        for socket in sockets.values { socket.yield(.text(text)) }
    }

    /// Sends a `posted` event for `post` to every authenticated socket; the post is a JSON string inside the
    /// event JSON, as the real server sends it.
    public func broadcastPosted(_ post: FakeMattermostPost) {
        let postText = String(
            decoding: (try? JSONSerialization.data(withJSONObject: post.json)) ?? Data(), as: UTF8.self)
        let event: [String: Any] = [
            "event": "posted", "data": ["post": postText, "channel_type": "O", "sender_name": "@\(post.userID)"],
            "broadcast": ["omit_users": NSNull(), "user_id": "", "channel_id": post.channelID, "team_id": ""],
            "seq": 8,
        ]
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: event)) ?? Data(), as: UTF8.self)
        for socket in sockets.values { socket.yield(.text(text)) }
    }

    /// Closes every socket from the server side, as a restart or a proxy timeout would.
    public func dropSockets() {
        for socket in sockets.values { socket.yield(.drop) }
    }

    public var openSockets: Int { sockets.count }

    func register(_ continuation: AsyncStream<FakeMattermostSocket.Push>.Continuation) -> Int {
        nextSocket += 1
        sockets[nextSocket] = continuation
        authenticatedSockets += 1
        return nextSocket
    }

    func unregister(_ id: Int) {
        sockets[id]?.finish()
        sockets[id] = nil
    }

    func noteRefusedSocket() { refusedSockets += 1 }

    /// Mattermost ids are 26 lowercase alphanumerics.
    static func newID() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(26))
    }
}
