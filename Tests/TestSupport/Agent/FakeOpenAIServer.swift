import Foundation
import Hummingbird
import Synchronization

/// A local OpenAI-compatible `/v1/chat/completions` server that answers from a script, for LLM tests over
/// real HTTP. Run it with HummingbirdTesting's `.live` mode and point the client at `baseURL(port:)`.
public final class FakeOpenAIServer: Sendable {
    /// One scripted reply.
    public indirect enum Step: Sendable {
        /// The model asks for tools: (name, JSON arguments).
        case toolCalls([(name: String, arguments: String)])
        case text(String)
        case status(Int, String)
        /// A 200 whose body is not a chat completion.
        case garbage(String)
        case delay(Duration, then: Step)
    }

    /// A request as the server saw it.
    public struct Recorded: Sendable {
        public var headers: [String: String]
        public var body: String
        public var path: String
    }

    private struct State {
        var script: [Step]
        var requests: [Recorded] = []
        var callCounter = 0
    }

    private let state: Mutex<State>

    public init(script: [Step]) {
        state = Mutex(State(script: script))
    }

    public var requests: [Recorded] { state.withLock { $0.requests } }

    public static func baseURL(port: Int) -> String { "http://127.0.0.1:\(port)/v1" }

    public func makeApplication() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 22)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let step = self.state.withLock { state -> Step in
                state.requests.append(Recorded(headers: headers, body: String(buffer: body), path: request.uri.path))
                return state.script.isEmpty ? .text("(script exhausted)") : state.script.removeFirst()
            }
            return try await self.respond(step)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    private func respond(_ step: Step) async throws -> Response {
        switch step {
        case .delay(let duration, let next):
            try await Task.sleep(for: duration)
            return try await respond(next)
        case .status(let code, let message):
            return json(
                status: HTTPResponse.Status(code: code), #"{"error":{"message":"\#(message)","type":"server_error"}}"#)
        case .garbage(let text):
            return json(status: .ok, text)
        case .text(let content):
            let message: [String: Any] = ["role": "assistant", "content": content]
            return json(status: .ok, completion(message: message, finish: "stop"))
        case .toolCalls(let calls):
            let toolCalls: [[String: Any]] = calls.map { call in
                let id = state.withLock { state -> Int in
                    state.callCounter += 1
                    return state.callCounter
                }
                return [
                    "id": "call_\(id)", "type": "function",
                    "function": ["name": call.name, "arguments": call.arguments],
                ]
            }
            let message: [String: Any] = ["role": "assistant", "content": NSNull(), "tool_calls": toolCalls]
            return json(status: .ok, completion(message: message, finish: "tool_calls"))
        }
    }

    private func completion(message: [String: Any], finish: String) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-test", "object": "chat.completion", "model": "fake",
            "choices": [["index": 0, "message": message, "finish_reason": finish]],
            "usage": ["prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func json(status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
