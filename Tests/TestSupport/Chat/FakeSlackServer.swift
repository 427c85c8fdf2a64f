import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A scripted reply of the fake Slack Web API.
public enum FakeSlackReply: Sendable, Hashable {
    /// `{"ok":true,"ts":…}` with a fresh ts.
    case ok
    /// HTTP 429 with `Retry-After: seconds`.
    case rateLimited(retryAfterSeconds: Int)
    /// HTTP 200 `{"ok":false,"error":code}`.
    case error(String)
    /// An HTTP error status (5xx) with a plain-text body, as a failing load balancer sends.
    case serverError(Int)
}

/// One request the fake Slack received.
public struct FakeSlackCall: Sendable {
    /// `chat.postMessage`, `chat.update`, or `response_url` for hook posts.
    public var method: String
    public var body: String
    public var authorization: String?
    public var receivedAt: Date
    /// The ts the fake answered with (successful Web API calls only).
    public var ts: String?
    public var reply: FakeSlackReply

    func field(_ name: String) -> Any? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?[name]
    }

    public var channel: String? { field("channel") as? String }
    public var threadTS: String? { field("thread_ts") as? String }
    public var text: String? { field("text") as? String }
    public var responseType: String? { field("response_type") as? String }
    /// Every text in the message's blocks, joined by newlines.
    public var blocksText: String {
        guard let blocks = field("blocks") as? [[String: Any]] else { return "" }
        var texts: [String] = []
        for block in blocks {
            if let text = (block["text"] as? [String: Any])?["text"] as? String { texts.append(text) }
            for key in ["fields", "elements"] {
                for element in block[key] as? [[String: Any]] ?? [] {
                    if let text = element["text"] as? String { texts.append(text) }
                    if let text = (element["text"] as? [String: Any])?["text"] as? String { texts.append(text) }
                }
            }
        }
        return texts.joined(separator: "\n")
    }
    public var blockCount: Int { (field("blocks") as? [Any])?.count ?? 0 }
}

/// What the fake Slack has seen and is told to answer.
public actor FakeSlackState {
    public private(set) var calls: [FakeSlackCall] = []
    private var scripted: [String: [FakeSlackReply]] = [:]
    private var scriptedByChannel: [String: [FakeSlackReply]] = [:]
    private var nextTS = 1_700_000_000

    /// Queues replies for the next calls of `method` (then it answers `.ok` again).
    public func script(_ method: String, _ replies: [FakeSlackReply]) {
        scripted[method, default: []] += replies
    }

    /// Queues replies for the next calls of `method` to `channel`; they are used before the method's own queue.
    public func script(_ method: String, channel: String, _ replies: [FakeSlackReply]) {
        scriptedByChannel["\(method) \(channel)", default: []] += replies
    }

    func receive(method: String, body: String, authorization: String?) -> FakeSlackCall {
        var reply = FakeSlackReply.ok
        let channel =
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["channel"] as? String
        let channelKey = "\(method) \(channel ?? "")"
        if var queue = scriptedByChannel[channelKey], !queue.isEmpty {
            reply = queue.removeFirst()
            scriptedByChannel[channelKey] = queue
        } else if var queue = scripted[method], !queue.isEmpty {
            reply = queue.removeFirst()
            scripted[method] = queue
        }
        var ts: String?
        if reply == .ok && method != "response_url" {
            nextTS += 1
            ts = "\(nextTS).000100"
        }
        let call = FakeSlackCall(
            method: method, body: body, authorization: authorization, receivedAt: Date(), ts: ts, reply: reply)
        calls.append(call)
        return call
    }

    public func calls(_ method: String) -> [FakeSlackCall] { calls.filter { $0.method == method } }
}

/// A fake Slack Web API on 127.0.0.1 (ephemeral port): records `chat.postMessage`, `chat.update` and
/// response-URL posts, and answers as scripted (429 + Retry-After, `ok:false`).
public struct FakeSlackServer: Sendable {
    public let state: FakeSlackState
    public let port: Int

    /// `SLACK_API_BASE_URL` for the app under test.
    public var apiBaseURL: String { "http://127.0.0.1:\(port)/api" }

    /// A response URL the fake accepts (what Slack puts in `response_url`).
    public func responseURL(_ id: String) -> String { "http://127.0.0.1:\(port)/hooks/\(id)" }

    /// Runs `body` while the fake listens.
    public static func run<T: Sendable>(_ body: @Sendable (FakeSlackServer) async throws -> T) async throws -> T {
        let state = FakeSlackState()
        let router = Router()
        router.post("/api/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let call = await state.receive(
                method: method, body: String(buffer: buffer), authorization: request.headers[.authorization])
            return Self.response(for: call)
        }
        router.post("/hooks/:id") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            _ = await state.receive(method: "response_url", body: String(buffer: buffer), authorization: nil)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test.fake-slack")
        // Cancelling the fake at the end of a test makes Hummingbird log shutdown errors; they mean nothing.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(FakeSlackServer(state: state, port: port))
        }
    }

    static func response(for call: FakeSlackCall) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        switch call.reply {
        case .ok:
            let body = #"{"ok":true,"channel":"\#(call.channel ?? "")","ts":"\#(call.ts ?? "")"}"#
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .rateLimited(let seconds):
            headers[.retryAfter] = String(seconds)
            return Response(
                status: .tooManyRequests, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"ok":false,"error":"ratelimited"}"#)))
        case .error(let code):
            return Response(
                status: .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"ok":false,"error":"\#(code)"}"#)))
        case .serverError(let status):
            headers[.contentType] = "text/plain"
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: "upstream unavailable")))
        }
    }
}
