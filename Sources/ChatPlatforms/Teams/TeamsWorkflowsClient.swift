import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ResyncCore

/// How one POST to the Workflows webhook went.
public enum TeamsWorkflowsOutcome: Hashable, Sendable {
    case delivered
    /// HTTP 429: wait `retryAfter` before the next attempt.
    case rateLimited(retryAfter: Duration)
    /// A timeout, a connection failure or a 5xx: another attempt may succeed.
    case retryable(reason: String)
    /// A 4xx other than 429 (a deleted flow, a bad payload): another attempt cannot fix it.
    case permanent(reason: String)
}

/// Why posting to the Workflows webhook failed for good. Never contains the URL: its `sig` is the credential.
public enum TeamsWorkflowsError: Error, Hashable, Sendable, CustomStringConvertible {
    case rejected(reason: String)
    case gaveUp(attempts: Int, lastReason: String)

    public var description: String {
        switch self {
        case .rejected(let reason):
            "the Teams Workflows webhook refused the post (\(reason)); check that the flow still exists and that "
                + "TEAMS_WORKFLOW_URL is its current trigger URL"
        case .gaveUp(let attempts, let reason):
            "the Teams Workflows webhook did not accept the post after \(attempts) attempts (last: \(reason))"
        }
    }
}

/// Posts Adaptive Card envelopes to a Teams Workflows ("Send webhook alerts to a channel") trigger URL.
public struct TeamsWorkflowsClient: Sendable {
    public struct Configuration: Sendable {
        /// The trigger URL; it embeds the `sig` credential, so it is a secret as a whole.
        public var url: Secret
        public var timeout: Duration
        public var maximumAttempts: Int
        /// Backoff before the second attempt after a retryable failure; doubles per attempt.
        public var initialBackoff: Duration
        /// The longest wait honoured from a `Retry-After` header.
        public var maximumRetryAfter: Duration

        public init(
            url: Secret, timeout: Duration = .seconds(10), maximumAttempts: Int = 3,
            initialBackoff: Duration = .milliseconds(500), maximumRetryAfter: Duration = .seconds(30)
        ) throws(TeamsConfigurationError) {
            guard let parsed = URL(string: url.value), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            else { throw .invalidWorkflowURL }
            self.url = url
            self.timeout = timeout
            self.maximumAttempts = max(1, maximumAttempts)
            self.initialBackoff = initialBackoff
            self.maximumRetryAfter = maximumRetryAfter
        }
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let time: any TimeSource
    private let logger: Logger

    public init(
        configuration: Configuration, httpClient: HTTPClient = .shared, time: any TimeSource = SystemTimeSource(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.time = time
        self.logger = logger
    }

    /// One attempt, for the outbox worker that schedules its own retries.
    public func send(_ message: TeamsJSON) async -> TeamsWorkflowsOutcome {
        await send(payload: message.serialized())
    }

    /// One attempt with an already serialised envelope (an outbox item's payload).
    public func send(payload: String) async -> TeamsWorkflowsOutcome {
        let outcome = await attempt(payload: payload)
        let label =
            switch outcome {
            case .delivered: "delivered"
            case .rateLimited: "rate_limited"
            case .retryable: "retryable"
            case .permanent: "permanent"
            }
        Counter(label: "resync_teams_workflows_posts_total", dimensions: [("outcome", label)]).increment()
        return outcome
    }

    private func attempt(payload: String) async -> TeamsWorkflowsOutcome {
        var request = HTTPClientRequest(url: configuration.url.value)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
            // Drain a small body so the connection can be reused; the content is not needed.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200..<300:
                return .delivered
            case 429:
                let seconds = response.headers.first(name: "Retry-After").flatMap { Int($0) } ?? 1
                return .rateLimited(retryAfter: .seconds(max(0, seconds)))
            case 500..<600, 408:
                return .retryable(reason: "HTTP \(response.status.code)")
            default:
                return .permanent(reason: "HTTP \(response.status.code)")
            }
        } catch {
            return .retryable(reason: Self.describe(error))
        }
    }

    /// Posts with bounded retries: honours 429 `Retry-After` (capped) and backs off on retryable failures.
    public func post(_ message: TeamsJSON) async throws(TeamsWorkflowsError) {
        var backoff = configuration.initialBackoff
        var lastReason = ""
        for attempt in 1...configuration.maximumAttempts {
            let wait: Duration
            switch await send(message) {
            case .delivered:
                return
            case .permanent(let reason):
                logger.warning("Teams Workflows post refused", metadata: ["reason": "\(reason)"])
                throw .rejected(reason: reason)
            case .rateLimited(let retryAfter):
                lastReason = "HTTP 429"
                wait = min(retryAfter, configuration.maximumRetryAfter)
            case .retryable(let reason):
                lastReason = reason
                wait = backoff
                backoff *= 2
            }
            guard attempt < configuration.maximumAttempts else { break }
            logger.debug(
                "Teams Workflows post will be retried",
                metadata: ["attempt": "\(attempt)", "reason": "\(lastReason)", "wait": "\(wait)"])
            do { try await time.sleep(for: wait) } catch { break }
        }
        logger.warning("Teams Workflows post failed", metadata: ["reason": "\(lastReason)"])
        throw .gaveUp(attempts: configuration.maximumAttempts, lastReason: lastReason)
    }

    /// A failure description without the request URL.
    static func describe(_ error: any Error) -> String {
        if let clientError = error as? HTTPClientError {
            if clientError == .deadlineExceeded || clientError == .readTimeout || clientError == .connectTimeout {
                return "timed out"
            }
            return "HTTP client error"
        }
        return "connection failed"
    }
}
