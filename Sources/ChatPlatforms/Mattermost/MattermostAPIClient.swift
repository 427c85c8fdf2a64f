import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ResyncCore

/// A post as the REST API returns it (the fields Resync uses).
public struct MattermostPost: Hashable, Sendable, Codable {
    public var id: String
    public var channelID: String
    public var rootID: String
    public var message: String
    public var userID: String

    public init(id: String, channelID: String, rootID: String = "", message: String, userID: String = "") {
        self.id = id
        self.channelID = channelID
        self.rootID = rootID
        self.message = message
        self.userID = userID
    }

    enum CodingKeys: String, CodingKey {
        case id, message
        case channelID = "channel_id"
        case rootID = "root_id"
        case userID = "user_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        channelID = try container.decodeIfPresent(String.self, forKey: .channelID) ?? ""
        rootID = try container.decodeIfPresent(String.self, forKey: .rootID) ?? ""
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        userID = try container.decodeIfPresent(String.self, forKey: .userID) ?? ""
    }

    /// The root of the thread this post belongs to (itself when it is a root).
    public var threadRoot: String { rootID.isEmpty ? id : rootID }
}

/// How one REST call went, for callers (the outbox) that schedule their own retries.
public enum MattermostCallOutcome<Value: Sendable>: Sendable {
    case success(Value)
    case rateLimited(retryAfter: Duration)
    case retryable(reason: String)
    case permanent(reason: String)
}

/// Why a Mattermost REST call failed for good. Never contains the bot token.
public enum MattermostAPIError: Error, Hashable, Sendable, CustomStringConvertible {
    case rejected(status: Int, detail: String)
    case gaveUp(attempts: Int, lastReason: String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .rejected(let status, let detail):
            "Mattermost refused the request (HTTP \(status): \(detail)); check MATTERMOST_BOT_TOKEN and that the bot "
                + "is a member of the channel"
        case .gaveUp(let attempts, let reason):
            "Mattermost did not accept the request after \(attempts) attempts (last: \(reason))"
        case .invalidConfiguration(let detail): detail
        }
    }
}

/// REST API v4 client acting as the bot account (`Authorization: Bearer <bot token>`). Honours the
/// `X-Ratelimit-*` headers before sending and 429 `Retry-After` after; retries are bounded.
public struct MattermostAPIClient: Sendable {
    public struct Configuration: Sendable {
        /// `MATTERMOST_URL`, e.g. `https://chat.example.com` (no `/api/v4`).
        public var baseURL: String
        public var botToken: Secret
        public var timeout: Duration
        public var maximumAttempts: Int
        public var initialBackoff: Duration
        /// The longest wait honoured from `Retry-After` / `X-Ratelimit-Reset`.
        public var maximumWait: Duration

        public init(
            baseURL: String, botToken: Secret, timeout: Duration = .seconds(10), maximumAttempts: Int = 4,
            initialBackoff: Duration = .milliseconds(250), maximumWait: Duration = .seconds(30)
        ) throws(MattermostAPIError) {
            let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil
            else {
                throw .invalidConfiguration("MATTERMOST_URL must be an http(s) URL such as https://chat.example.com")
            }
            guard !botToken.isEmpty else { throw .invalidConfiguration("MATTERMOST_BOT_TOKEN is empty") }
            self.baseURL = trimmed
            self.botToken = botToken
            self.timeout = timeout
            self.maximumAttempts = max(1, maximumAttempts)
            self.initialBackoff = initialBackoff
            self.maximumWait = maximumWait
        }
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let time: any TimeSource
    private let rateLimit: MattermostRateLimiter
    private let logger: Logger

    public init(
        configuration: Configuration, httpClient: HTTPClient = .shared, time: any TimeSource = SystemTimeSource(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.time = time
        self.rateLimit = MattermostRateLimiter(time: time, maximumWait: configuration.maximumWait)
        self.logger = logger
    }

    /// `POST /api/v4/posts`; `rootID` makes it a reply in that thread.
    public func createPost(channelID: String, message: String, rootID: String?) async throws(MattermostAPIError)
        -> MattermostPost
    {
        try await withRetries { await self.sendCreatePost(channelID: channelID, message: message, rootID: rootID) }
    }

    /// One attempt at `POST /api/v4/posts`.
    public func sendCreatePost(channelID: String, message: String, rootID: String?) async
        -> MattermostCallOutcome<MattermostPost>
    {
        var body: [String: String] = ["channel_id": channelID, "message": message]
        if let rootID, !rootID.isEmpty { body["root_id"] = rootID }
        return await call(.POST, "/api/v4/posts", body: body)
    }

    /// `GET /api/v4/posts/{id}`, e.g. to find the thread root of a post that triggered an outgoing webhook.
    public func post(id: String) async throws(MattermostAPIError) -> MattermostPost {
        let path = "/api/v4/posts/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        return try await withRetries { await self.call(.GET, path, body: nil) }
    }

    /// `GET /api/v4/users/me`: the bot's own user id (to ignore its own reactions) and a token check.
    public func me() async throws(MattermostAPIError) -> MattermostUser {
        try await withRetries { await self.call(.GET, "/api/v4/users/me", body: nil) }
    }

    private func withRetries<Value: Sendable>(
        _ attempt: @Sendable () async -> MattermostCallOutcome<Value>
    ) async throws(MattermostAPIError) -> Value {
        var backoff = configuration.initialBackoff
        var lastReason = ""
        for number in 1...configuration.maximumAttempts {
            let wait: Duration
            switch await attempt() {
            case .success(let value):
                return value
            case .permanent(let reason):
                throw .rejected(status: Int(reason.prefix { $0.isNumber }) ?? 0, detail: reason)
            case .rateLimited(let retryAfter):
                lastReason = "HTTP 429"
                wait = min(retryAfter, configuration.maximumWait)
            case .retryable(let reason):
                lastReason = reason
                wait = backoff
                backoff *= 2
            }
            guard number < configuration.maximumAttempts else { break }
            logger.debug(
                "Mattermost call will be retried", metadata: ["attempt": "\(number)", "reason": "\(lastReason)"])
            do { try await time.sleep(for: wait) } catch { break }
        }
        throw .gaveUp(attempts: configuration.maximumAttempts, lastReason: lastReason)
    }

    private func call<Value: Decodable & Sendable>(_ method: HTTPMethod, _ path: String, body: [String: String]?)
        async -> MattermostCallOutcome<Value>
    {
        let outcome: MattermostCallOutcome<Value> = await attempt(method, path, body: body)
        let label =
            switch outcome {
            case .success: "success"
            case .rateLimited: "rate_limited"
            case .retryable: "retryable"
            case .permanent: "permanent"
            }
        Counter(label: "resync_mattermost_api_calls_total", dimensions: [("outcome", label)]).increment()
        return outcome
    }

    private func attempt<Value: Decodable & Sendable>(_ method: HTTPMethod, _ path: String, body: [String: String]?)
        async -> MattermostCallOutcome<Value>
    {
        await rateLimit.waitForCapacity()
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.botToken.value)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body, let data = try? JSONEncoder().encode(body) {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
            let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
            await rateLimit.record(response.headers)
            switch response.status.code {
            case 200..<300:
                guard let value = try? JSONDecoder().decode(Value.self, from: Data(bytes.readableBytesView)) else {
                    return .permanent(reason: "\(response.status.code) unexpected response body")
                }
                return .success(value)
            case 429:
                return .rateLimited(retryAfter: MattermostRateLimiter.retryAfter(response.headers))
            case 500..<600, 408:
                return .retryable(reason: "HTTP \(response.status.code)")
            default:
                return .permanent(reason: "\(response.status.code) \(Self.serverMessage(bytes))")
            }
        } catch {
            return .retryable(reason: TeamsWorkflowsClient.describe(error))
        }
    }

    /// The `message` of a Mattermost AppError body, or the status line when there is none.
    private static func serverMessage(_ bytes: ByteBuffer) -> String {
        struct AppError: Decodable { var message: String? }
        return (try? JSONDecoder().decode(AppError.self, from: Data(bytes.readableBytesView)))?.message ?? "error"
    }
}

/// The bot account as `GET /api/v4/users/me` returns it.
public struct MattermostUser: Hashable, Sendable, Decodable {
    public var id: String
    public var username: String

    public init(id: String, username: String) {
        self.id = id
        self.username = username
    }
}
