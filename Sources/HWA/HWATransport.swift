import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ResyncCore

/// One HTTP exchange's answer.
struct HWAHTTPAnswer: Sendable {
    var status: Int
    var retryAfter: String?
    var body: Data
}

/// Sends GETs to HWA: read-only gate, breaker, overall deadline, per-request timeout, bounded retries with
/// full-jitter backoff honouring `Retry-After`, and mapping of HTTP failures to `SchedulerError`.
final class HWATransport: Sendable {
    let configuration: HWAClientConfiguration
    let httpClient: HTTPClient
    let breaker: CircuitBreaker
    let timeSource: any TimeSource
    let logger: Logger
    /// Draws the jittered delay in `0...ceiling` seconds; injectable so tests need not depend on chance.
    let jitter: @Sendable (Double) -> Double

    init(
        configuration: HWAClientConfiguration, timeSource: any TimeSource, logger: Logger,
        jitter: @escaping @Sendable (Double) -> Double
    ) throws {
        self.configuration = configuration
        self.timeSource = timeSource
        self.logger = logger
        self.jitter = jitter
        self.breaker = CircuitBreaker(policy: configuration.breaker, timeSource: timeSource)
        self.httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: try Self.httpConfiguration(configuration))
    }

    static func httpConfiguration(_ configuration: HWAClientConfiguration) throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.verifyTLS { tls.certificateVerification = .none }
        if let caFile = configuration.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw SchedulerError.unreachable("CA bundle '\(caFile)' is not readable; check TWS_CA_FILE")
            }
            tls.trustRoots = .file(caFile)
        }
        let connect = TimeAmount.nanoseconds(Int64(min(configuration.requestTimeout.inSeconds, 10) * 1e9))
        var http = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: connect, read: .nanoseconds(Int64(configuration.requestTimeout.inSeconds * 1e9))),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnectionsPerHost))
        // Our own bounded retry loop decides about reconnecting; the pool's own retries would hide a refused
        // connection until the request deadline.
        http.connectionPool.retryConnectionEstablishment = false
        return http
    }

    /// GET `path` (relative to the base URL) and return the body of a 2xx answer.
    func get(operation: String, path: String, query: [(String, String)]) async throws -> Data {
        try await send(method: "GET", operation: operation, path: path, query: query)
    }

    /// The only way out of the process. The gate runs first, before the breaker, the URL or any I/O, so a
    /// write cannot be sent whatever the caller asks for.
    func send(method: String, operation: String, path: String, query: [(String, String)]) async throws -> Data {
        try ReadOnlyGate.check(method: method, path: path)
        try await breaker.acquire()
        do {
            let deadline = configuration.operationDeadline
            let body = try await withDeadline(deadline) {
                try await self.attempts(method: method, operation: operation, path: path, query: query)
            }
            await breaker.recordSuccess()
            return body
        } catch let error as DeadlineExceeded {
            await breaker.recordFailure()
            throw SchedulerError.timedOut(seconds: error.limit.inSeconds)
        } catch let error as SchedulerError {
            if error.isUnavailability { await breaker.recordFailure() } else { await breaker.recordSuccess() }
            throw error
        } catch {
            await breaker.recordAbandoned()
            throw error
        }
    }

    /// What one attempt ended with.
    private enum AttemptOutcome {
        case answered(Data)
        case retryable(SchedulerError, retryAfter: Double?)
    }

    private func attempts(
        method: String, operation: String, path: String, query: [(String, String)]
    ) async throws -> Data {
        let policy = configuration.retry
        var attempt = 1
        while true {
            let failure: SchedulerError
            let retryAfter: Double?
            switch try await attemptOnce(method: method, path: path, query: query) {
            case .answered(let body):
                return body
            case .retryable(let error, let after):
                failure = error
                retryAfter = after
            }
            guard attempt < policy.maxAttempts else { throw failure }
            var delay = jitter(policy.ceiling(forRetry: attempt).inSeconds)
            if let retryAfter {
                guard retryAfter <= policy.maxRetryAfter.inSeconds else { throw failure }
                delay = max(delay, retryAfter)
            }
            logger.debug(
                "retrying HWA request",
                metadata: [
                    "operation": "\(operation)", "attempt": "\(attempt)", "delay_s": "\(delay)", "error": "\(failure)",
                ])
            HWAMetrics.retry(operation: operation)
            try await timeSource.sleep(for: .nanoseconds(Int64(delay * 1e9)))
            attempt += 1
        }
    }

    /// One attempt. Failures worth retrying (no answer; 429/502/503/504) are returned, all others thrown.
    private func attemptOnce(method: String, path: String, query: [(String, String)]) async throws -> AttemptOutcome {
        let answer: HWAHTTPAnswer
        do {
            answer = try await exchange(method: method, path: path, query: query)
        } catch let error as SchedulerError where error.isTransport {
            return .retryable(error, retryAfter: nil)
        }
        if (200..<300).contains(answer.status) { return .answered(answer.body) }
        let failure = Self.error(status: answer.status, body: answer.body, path: path)
        guard Self.isRetryable(status: answer.status) else { throw failure }
        let retryAfter = answer.retryAfter.flatMap { Self.parseRetryAfter($0, now: timeSource.now()) }
        return .retryable(failure, retryAfter: retryAfter)
    }

    /// One HTTP exchange bounded by the per-request timeout. Transport failures become `unreachable`/`timedOut`.
    private func exchange(method: String, path: String, query: [(String, String)]) async throws -> HWAHTTPAnswer {
        // Checked again at the last step: nothing below this line may ever carry anything but a GET.
        try ReadOnlyGate.check(method: method, path: path)
        let baseURL = try await configuration.endpoint.resolve()
        let url = try Self.url(baseURL: baseURL, path: path, query: query, allowPlainHTTP: configuration.allowPlainHTTP)
        var request = HTTPClientRequest(url: url)
        request.method = .GET  // the gate admitted only GET
        request.headers.add(name: "Accept", value: "application/json, text/plain")
        request.headers.add(name: "Include-Count", value: "true")
        request.headers.add(name: "Authorization", value: configuration.authentication.headerValue)
        let timeout = configuration.requestTimeout
        let client = httpClient
        let maxBytes = configuration.maxBodyBytes
        let prepared = request
        do {
            return try await withDeadline(timeout) {
                let response = try await client.execute(prepared, timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9)))
                let buffer = try await response.body.collect(upTo: maxBytes)
                return HWAHTTPAnswer(
                    status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                    body: Data(buffer.readableBytesView))
            }
        } catch is DeadlineExceeded {
            throw SchedulerError.timedOut(seconds: timeout.inSeconds)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw SchedulerError.timedOut(seconds: timeout.inSeconds)
        } catch let error as SchedulerError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SchedulerError.unreachable(Self.describe(error))
        }
    }

    static func url(baseURL: String, path: String, query: [(String, String)], allowPlainHTTP: Bool) throws -> String {
        let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        guard var components = URLComponents(string: trimmed + path), let host = components.host,
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else {
            throw SchedulerError.unreachable(
                "base URL '\(Redactor.redactURL(baseURL))' is not an http(s) URL; check TWS_BASE_URL/TWS_HOST")
        }
        guard components.user == nil, components.password == nil else {
            throw SchedulerError.unreachable("the base URL must not carry credentials; use TWS_USER/TWS_PASSWORD")
        }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        if scheme == "http" && !loopback && !allowPlainHTTP {
            throw SchedulerError.unreachable(
                "plain http to \(host) is refused: use https (TLS); plain http is accepted only with APP_ENV=development"
            )
        }
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        }
        guard let url = components.string else { throw SchedulerError.unreachable("cannot build a URL for \(path)") }
        return url
    }

    private static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func isRetryable(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// `Retry-After` as seconds: an integer, or an HTTP date.
    static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// Maps a non-2xx answer to a typed error, quoting HWA's own messages (redacted, bounded).
    static func error(status: Int, body: Data, path: String) -> SchedulerError {
        let detail = message(from: body)
        switch status {
        case 400: return .badFilter(detail ?? "HTTP 400 on \(path)")
        case 401: return .unauthorized
        case 403: return .forbidden(detail ?? "the HWA user lacks LIST/DISPLAY rights for \(path)")
        case 404: return .notFound(detail ?? path)
        case 429: return .server(status: 429, message: "HWA is throttling requests; retry later")
        default: return .server(status: status, message: detail ?? "no details in the response")
        }
    }

    static func message(from body: Data) -> String? {
        guard let decoded = try? JSONDecoder().decode(HWAErrorBody.self, from: body) else { return nil }
        let text = ([decoded.exceptionName].compactMap { $0 } + decoded.messages).joined(separator: " / ")
        guard !text.isEmpty else { return nil }
        return Redactor.redact(String(text.prefix(400)))
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return Redactor.redact(String(text.prefix(200)))
    }

    func shutdown() async throws {
        try await httpClient.shutdown()
    }
}

extension SchedulerError {
    /// A failure to get any answer at all: worth a retry.
    var isTransport: Bool {
        switch self {
        case .unreachable, .timedOut: true
        default: false
        }
    }
}
