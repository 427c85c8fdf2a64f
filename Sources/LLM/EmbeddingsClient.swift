import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ResyncCore

/// An OpenAI-compatible `POST {base}/v1/embeddings` client. Each request has a timeout; 429, 5xx and
/// transport failures are retried a bounded number of times with backoff. The API key is only ever
/// put in the `Authorization` header: never in a log line or an error.
public struct OpenAIEmbeddingsClient: EmbeddingProvider {
    public let model: String
    let url: String
    let apiKey: Secret?
    let httpClient: HTTPClient
    let timeout: Duration
    let maxAttempts: Int
    let batchSize: Int
    let logger: Logger

    /// - Parameters:
    ///   - baseURL: the endpoint's base (`https://api.openai.com`, `http://host:11434/v1`, or the full
    ///     `…/v1/embeddings` URL).
    public init(
        baseURL: String, model: String, apiKey: Secret?, httpClient: HTTPClient = .shared,
        timeout: Duration = .seconds(15), maxAttempts: Int = 3, batchSize: Int = 64, logger: Logger
    ) {
        self.url = Self.embeddingsURL(baseURL)
        self.model = model
        self.apiKey = apiKey
        self.httpClient = httpClient
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    static func embeddingsURL(_ base: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        if trimmed.hasSuffix("/embeddings") { return trimmed }
        if trimmed.hasSuffix("/v1") { return trimmed + "/embeddings" }
        return trimmed + "/v1/embeddings"
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            vectors += try await embedWithRetries(batch)
        }
        return vectors
    }

    func embedWithRetries(_ batch: [String]) async throws -> [[Float]] {
        var attempt = 1
        while true {
            do {
                return try await embedOnce(batch)
            } catch let error as EmbeddingError where attempt < maxAttempts && Self.isRetryable(error) {
                logger.debug(
                    "embeddings request failed; retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(200 * (1 << (attempt - 1))))
                attempt += 1
            }
        }
    }

    static func isRetryable(_ error: EmbeddingError) -> Bool {
        switch error {
        case .timedOut, .transport: true
        case .http(let status, _): status == 429 || status >= 500
        case .malformedResponse: false
        }
    }

    struct RequestBody: Encodable {
        var model: String
        var input: [String]
    }

    struct ResponseBody: Decodable {
        struct Item: Decodable {
            var embedding: [Float]
            var index: Int?
        }
        var data: [Item]
    }

    func embedOnce(_ batch: [String]) async throws -> [[Float]] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey, !apiKey.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)") }
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(RequestBody(model: model, input: batch))))
        let body: ByteBuffer
        let status: Int
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 64 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw EmbeddingError.timedOut
        } catch {
            throw EmbeddingError.transport(String(describing: type(of: error)) + ": \(redacted("\(error)"))")
        }
        guard (200..<300).contains(status) else {
            throw EmbeddingError.http(status: status, message: redacted(String(buffer: body).prefix(200).description))
        }
        let decoded: ResponseBody
        do {
            decoded = try JSONDecoder().decode(ResponseBody.self, from: Data(buffer: body))
        } catch {
            throw EmbeddingError.malformedResponse("\(error)".prefix(200).description)
        }
        guard decoded.data.count == batch.count else {
            throw EmbeddingError.malformedResponse("\(decoded.data.count) vectors for \(batch.count) inputs")
        }
        let ordered = decoded.data.enumerated().sorted {
            ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset)
        }
        return ordered.map(\.element.embedding)
    }

    /// An error body could echo the request; the key never leaves in a message.
    func redacted(_ text: String) -> String {
        guard let key = apiKey?.value, !key.isEmpty else { return text }
        return text.replacingOccurrences(of: key, with: "****")
    }
}

extension OpenAIEmbeddingsClient {
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
