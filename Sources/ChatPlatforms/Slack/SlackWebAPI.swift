import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ResyncCore

/// The result of one Slack Web API call.
enum SlackCallResult: Hashable, Sendable {
    case ok(ts: String?)
    /// HTTP 429 with `Retry-After` (seconds).
    case rateLimited(retryAfter: Duration)
    /// HTTP 200 with `{"ok":false,"error":CODE}`.
    case apiError(String)
    /// Any other HTTP status.
    case httpError(Int)
    /// Timeout, connection refused, unreadable response.
    case transport(String)
}

/// The few Slack Web API methods Resync calls, over async-http-client with a timeout per call.
struct SlackWebAPI: Sendable {
    let client: HTTPClient
    let baseURL: String
    let token: Secret?
    let timeout: Duration
    let logger: Logger

    func postMessage(_ body: [String: Any]) async -> SlackCallResult {
        await call(url: "\(baseURL)/chat.postMessage", body: body, authorized: true)
    }

    func update(_ body: [String: Any]) async -> SlackCallResult {
        await call(url: "\(baseURL)/chat.update", body: body, authorized: true)
    }

    /// Posts to a `response_url`; it answers plain `ok` rather than JSON.
    func respond(url: String, _ body: [String: Any]) async -> SlackCallResult {
        await call(url: url, body: body, authorized: false)
    }

    func call(url: String, body: [String: Any], authorized: Bool) async -> SlackCallResult {
        guard let data = try? JSONSerialization.data(withJSONObject: body) else {
            return .transport("message body could not be encoded")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if authorized {
            guard let token, !token.isEmpty else { return .apiError("not_authed") }
            request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        }
        request.body = .bytes(ByteBuffer(bytes: data))
        do {
            let response = try await client.execute(request, timeout: .init(timeout))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Self.interpret(
                status: Int(response.status.code), headers: response.headers, body: bytes, jsonExpected: authorized)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .transport("timed out after \(timeout)")
        } catch {
            return .transport(String(describing: type(of: error)))
        }
    }

    static func interpret(status: Int, headers: HTTPHeaders, body: ByteBuffer, jsonExpected: Bool) -> SlackCallResult {
        if status == 429 {
            guard let raw = headers.first(name: "Retry-After"),
                let seconds = Int(raw.trimmingCharacters(in: .whitespaces)),
                seconds >= 0
            else { return .httpError(429) }
            return .rateLimited(retryAfter: .seconds(min(seconds, 3600)))
        }
        guard (200..<300).contains(status) else { return .httpError(status) }
        guard jsonExpected else { return .ok(ts: nil) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            return .transport("Slack answered something that is not JSON")
        }
        if object["ok"] as? Bool == true { return .ok(ts: object["ts"] as? String) }
        return .apiError(object["error"] as? String ?? "unknown_error")
    }
}
