/// An embeddings endpoint (OpenAI-compatible `/v1/embeddings`), used for semantic knowledge search.
public protocol EmbeddingProvider: Sendable {
    /// The model name; stored with each vector so that a model change recomputes them.
    var model: String { get }
    /// One vector per input text, in the same order. Bounded by the provider's own timeout.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// Errors an embedding provider reports; messages never contain the API key.
public enum EmbeddingError: Error, Hashable, Sendable, CustomStringConvertible {
    case timedOut
    case http(status: Int, message: String)
    case malformedResponse(String)
    case transport(String)

    public var description: String {
        switch self {
        case .timedOut: "the embeddings endpoint did not answer in time"
        case .http(let status, let message): "the embeddings endpoint answered \(status): \(message)"
        case .malformedResponse(let detail): "the embeddings endpoint sent a response that could not be read: \(detail)"
        case .transport(let detail): "the embeddings endpoint could not be reached: \(detail)"
        }
    }
}
