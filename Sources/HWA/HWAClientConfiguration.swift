import Foundation
import ResyncCore

/// How the client proves who it is to HWA. Both forms are sent on every request; HWA has no session.
public enum HWAAuthentication: Sendable, CustomStringConvertible {
    /// HTTP Basic with an engine user (`TWS_USER`/`TWS_PASSWORD`).
    case basic(user: String, password: Secret)
    /// An API key (a JWT created in the Dynamic Workload Console), sent as `Authorization: Bearer`.
    case bearer(Secret)

    /// The `Authorization` header value. Read only where the request is built.
    var headerValue: String {
        switch self {
        case .basic(let user, let password):
            "Basic " + Data("\(user):\(password.value)".utf8).base64EncodedString()
        case .bearer(let token):
            "Bearer \(token.value)"
        }
    }

    public var description: String {
        switch self {
        case .basic(let user, _): "basic(user: \(user), password: ****)"
        case .bearer: "bearer(****)"
        }
    }
}

/// Where the client finds the REST API: a fixed base URL, or one learned once a local server is listening
/// (mock mode binds the embedded simulator to an ephemeral port and only then knows its URL).
public struct HWAEndpoint: Sendable {
    let resolve: @Sendable () async throws -> String

    /// A base URL ending in `/twsd`, e.g. `https://master.example.com:31116/twsd`.
    public static func fixed(_ baseURL: String) -> HWAEndpoint {
        HWAEndpoint { baseURL }
    }

    /// A base URL produced later; the client waits for it (within the request timeout) on first use.
    public static func deferred(_ resolve: @escaping @Sendable () async throws -> String) -> HWAEndpoint {
        HWAEndpoint(resolve: resolve)
    }
}

/// Bounded retries with exponential backoff and full jitter.
public struct HWARetryPolicy: Sendable, Hashable {
    /// Total attempts, the first included (1 = no retry).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the call fails with the server's answer instead.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(3),
        maxRetryAfter: Duration = .seconds(10)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The backoff ceiling before attempt `retry` (1-based); the actual delay is drawn uniformly below it.
    func ceiling(forRetry retry: Int) -> Duration {
        let factor = 1 << min(max(retry - 1, 0), 20)
        return min(maxDelay, baseDelay * factor)
    }
}

/// When the breaker stops calling HWA, and when it tries again.
public struct HWABreakerPolicy: Sendable, Hashable {
    /// Consecutive failed calls (after their retries) that open the breaker.
    public var failureThreshold: Int
    /// How long the breaker stays open before letting one probe call through (half-open).
    public var coolDown: Duration

    public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(30)) {
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = coolDown
    }
}

/// How long answers are reused, per kind of query. Zero disables caching for that kind.
public struct HWACacheTTLs: Sendable, Hashable {
    public var jobs: Duration
    public var jobStreams: Duration
    public var workstations: Duration
    public var engineInfo: Duration
    public var jobCounts: Duration
    public var jobLogs: Duration

    public init(
        jobs: Duration = .seconds(10), jobStreams: Duration = .seconds(10), workstations: Duration = .seconds(30),
        engineInfo: Duration = .seconds(60), jobCounts: Duration = .seconds(10), jobLogs: Duration = .seconds(30)
    ) {
        self.jobs = jobs
        self.jobStreams = jobStreams
        self.workstations = workstations
        self.engineInfo = engineInfo
        self.jobCounts = jobCounts
        self.jobLogs = jobLogs
    }

    public static let disabled = HWACacheTTLs(
        jobs: .zero, jobStreams: .zero, workstations: .zero, engineInfo: .zero, jobCounts: .zero, jobLogs: .zero)
}

/// Everything the HWA client needs to reach one engine.
public struct HWAClientConfiguration: Sendable {
    public var endpoint: HWAEndpoint
    public var authentication: HWAAuthentication
    /// Verify the server certificate (on unless explicitly turned off, and never off in production).
    public var verifyTLS: Bool
    /// PEM bundle of the CA that signed the master's certificate, for private PKIs.
    public var caFile: String?
    /// Plain `http://` is always allowed to a loopback host (the embedded simulator); to any other host only
    /// when this is set (a lab without TLS). Never set it in production.
    public var allowPlainHTTP: Bool
    /// Bound on one HTTP exchange (connect, head and body).
    public var requestTimeout: Duration
    /// Bound on a whole operation, its retries and backoff included.
    public var operationDeadline: Duration
    public var retry: HWARetryPolicy
    public var breaker: HWABreakerPolicy
    public var cacheTTLs: HWACacheTTLs
    /// Page size asked of HWA (`limit`), and how many pages one query may follow.
    public var pageSize: Int
    public var maxPages: Int
    /// Connection pool bound per host.
    public var maxConnectionsPerHost: Int
    /// Largest response body accepted.
    public var maxBodyBytes: Int

    public init(
        endpoint: HWAEndpoint, authentication: HWAAuthentication, verifyTLS: Bool = true, caFile: String? = nil,
        allowPlainHTTP: Bool = false, requestTimeout: Duration = .seconds(10),
        operationDeadline: Duration = .seconds(25),
        retry: HWARetryPolicy = HWARetryPolicy(), breaker: HWABreakerPolicy = HWABreakerPolicy(),
        cacheTTLs: HWACacheTTLs = HWACacheTTLs(), pageSize: Int = 200, maxPages: Int = 25,
        maxConnectionsPerHost: Int = 8, maxBodyBytes: Int = 16 * 1024 * 1024
    ) {
        self.endpoint = endpoint
        self.authentication = authentication
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.allowPlainHTTP = allowPlainHTTP
        self.requestTimeout = requestTimeout
        self.operationDeadline = operationDeadline
        self.retry = retry
        self.breaker = breaker
        self.cacheTTLs = cacheTTLs
        self.pageSize = max(1, pageSize)
        self.maxPages = max(1, maxPages)
        self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        self.maxBodyBytes = maxBodyBytes
    }

    /// Convenience for a fixed base URL ending in `/twsd`.
    public init(
        baseURL: String, authentication: HWAAuthentication, verifyTLS: Bool = true, caFile: String? = nil,
        requestTimeout: Duration = .seconds(10), operationDeadline: Duration = .seconds(25),
        retry: HWARetryPolicy = HWARetryPolicy(), breaker: HWABreakerPolicy = HWABreakerPolicy(),
        cacheTTLs: HWACacheTTLs = HWACacheTTLs()
    ) {
        self.init(
            endpoint: .fixed(baseURL), authentication: authentication, verifyTLS: verifyTLS, caFile: caFile,
            requestTimeout: requestTimeout, operationDeadline: operationDeadline, retry: retry, breaker: breaker,
            cacheTTLs: cacheTTLs)
    }
}
