import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ResyncCore

/// `LLMClient` over any OpenAI-compatible `/chat/completions` endpoint (OpenAI, OpenRouter, Ollama,
/// NVIDIA NIM, vLLM…), non-streaming, with function calling. The API key goes only into the
/// `Authorization` header: it is never logged and never part of an error.
public struct OpenAICompatibleClient: LLMClient {
    public let route: LLMProviderRoute
    let httpClient: HTTPClient
    let logger: Logger
    /// Replies larger than this are refused rather than buffered.
    let maxResponseBytes = 4 << 20

    public init(route: LLMProviderRoute, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "resync.llm"))
    {
        self.route = route
        self.httpClient = httpClient
        self.logger = logger
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let model = request.model.isEmpty ? route.model : LLMProviderRoute.providerModelName(request.model)
        let body = try ChatCompletionBody(request, model: model)
        var httpRequest = HTTPClientRequest(url: route.chatCompletionsURL)
        httpRequest.method = .POST
        for header in route.requestHeaders { httpRequest.headers.add(name: header.name, value: header.value) }
        do {
            httpRequest.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        } catch {
            throw LLMError.malformedResponse("the request could not be encoded")
        }
        let started = ContinuousClock.now
        let (status, bytes) = try await send(httpRequest, timeout: request.timeout)
        logger.debug(
            "chat completion",
            metadata: [
                "provider": "\(route.provider.rawValue)", "model": "\(model)", "status": "\(status)",
                "elapsed": "\(ContinuousClock.now - started)",
            ])
        guard (200..<300).contains(status) else {
            throw LLMError.http(status: status, message: Self.errorMessage(bytes))
        }
        let reply: ChatCompletionReply
        do {
            reply = try JSONDecoder().decode(ChatCompletionReply.self, from: bytes)
        } catch {
            throw LLMError.malformedResponse("the body is not a chat completion")
        }
        return try reply.response()
    }

    private func send(_ request: HTTPClientRequest, timeout: Duration) async throws(LLMError) -> (Int, ByteBuffer) {
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(nanoseconds))
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return (Int(response.status.code), body)
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                throw .timedOut
            }
            throw .transport("\(error)")
        } catch is CancellationError {
            throw .timedOut
        } catch {
            throw .transport(String(describing: error).prefix(200).description)
        }
    }

    /// The server's own message, redacted and shortened; never the request.
    static func errorMessage(_ bytes: ByteBuffer) -> String {
        let text: String
        if let body = try? JSONDecoder().decode(ChatCompletionErrorBody.self, from: bytes),
            let message = body.error?.message
        {
            text = message
        } else {
            text = String(buffer: bytes)
        }
        return Redactor.redact(String(text.prefix(300)))
    }
}
