import Foundation
import Hummingbird
import ResyncCore

/// What the fake embeddings endpoint received.
public actor EmbeddingsRecorder {
    public private(set) var requests = 0
    public private(set) var inputs: [String] = []
    public private(set) var authorizations: [String] = []
    var failuresLeft: Int

    public init(failFirst: Int = 0) {
        failuresLeft = failFirst
    }

    func record(inputs: [String], authorization: String?) -> Bool {
        requests += 1
        authorizations.append(authorization ?? "")
        if failuresLeft > 0 {
            failuresLeft -= 1
            return false
        }
        self.inputs += inputs
        return true
    }
}

/// A local OpenAI-compatible `POST /v1/embeddings` endpoint. Vectors are built from a small concept
/// table, so "salary" and "folha de pagamento" land close together while sharing no word.
public enum FakeEmbeddings {
    struct EmbeddingsRequest: Decodable {
        var model: String
        var input: [String]
    }

    struct EmbeddingsResponse: ResponseEncodable {
        struct Item: Encodable {
            var object = "embedding"
            var index: Int
            var embedding: [Float]
        }
        var object = "list"
        var model: String
        var data: [Item]
    }

    /// The router; run it with HummingbirdTesting's `.live` to get a loopback port.
    public static func router(recorder: EmbeddingsRecorder) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/embeddings") { request, context -> EmbeddingsResponse in
            let body = try await request.decode(as: EmbeddingsRequest.self, context: context)
            let accepted = await recorder.record(
                inputs: body.input, authorization: request.headers[.authorization])
            guard accepted else { throw HTTPError(.serviceUnavailable, message: "warming up") }
            // Reverse the order to prove the client sorts by `index`.
            let items = body.input.enumerated().map {
                EmbeddingsResponse.Item(index: $0.offset, embedding: vector(for: $0.element))
            }
            return EmbeddingsResponse(model: body.model, data: items.reversed())
        }
        return router
    }

    static let concepts: [[String]] = [
        ["payroll", "folh", "salary", "salari", "pagament", "wage"],
        ["backup", "bkp", "copia", "restore"],
        ["network", "rede", "timeout", "conexao"],
        ["database", "banc", "db", "sql"],
        ["sale", "vend", "etl", "carga", "load"],
        ["memory", "memoria", "s0c4", "storage"],
    ]

    /// A unit vector: one dimension per concept the text mentions, plus hashed dimensions for other words.
    public static func vector(for text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: 32)
        for term in TextFolding.terms(text) {
            if let concept = concepts.firstIndex(where: { $0.contains { term.hasPrefix($0) } }) {
                vector[concept] += 1
            } else {
                let hash = StableHash.hex(term).utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
                vector[6 + hash % 26] += 0.05
            }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
