import Foundation
import Hummingbird
import HummingbirdTesting
import LLM
import Logging
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Knowledge embeddings over a local OpenAI-compatible endpoint")
struct EmbeddingsTests {
    static let logger = Logger(label: "test.embeddings")
    static let apiKey = Secret("sk-test-not-a-real-key")

    static func withEndpoint(
        failFirst: Int = 0, _ body: @Sendable (_ baseURL: String, _ recorder: EmbeddingsRecorder) async throws -> Void
    ) async throws {
        let recorder = EmbeddingsRecorder(failFirst: failFirst)
        let app = Application(router: FakeEmbeddings.router(recorder: recorder))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)", recorder)
        }
    }

    static func client(_ baseURL: String, batchSize: Int = 64, maxAttempts: Int = 3) -> OpenAIEmbeddingsClient {
        OpenAIEmbeddingsClient(
            baseURL: baseURL, model: "fake-embed", apiKey: apiKey, timeout: .seconds(5), maxAttempts: maxAttempts,
            batchSize: batchSize, logger: logger)
    }

    @Test func embedsInBatchesInOrderWithTheKey() async throws {
        try await Self.withEndpoint { baseURL, recorder in
            let texts = ["folha de pagamento", "backup do banco", "rede caiu", "salary", "vendas"]
            let vectors = try await Self.client(baseURL, batchSize: 2).embed(texts)
            #expect(vectors == texts.map(FakeEmbeddings.vector(for:)))
            #expect(await recorder.requests == 3)
            #expect(await recorder.authorizations.allSatisfy { $0 == "Bearer \(Self.apiKey.value)" })
        }
    }

    @Test func retriesABoundedNumberOfTimes() async throws {
        try await Self.withEndpoint(failFirst: 2) { baseURL, recorder in
            _ = try await Self.client(baseURL).embed(["folha"])
            #expect(await recorder.requests == 3)
        }
        try await Self.withEndpoint(failFirst: 5) { baseURL, recorder in
            do {
                _ = try await Self.client(baseURL, maxAttempts: 2).embed(["folha"])
                Issue.record("expected the endpoint's error")
            } catch let error as EmbeddingError {
                guard case .http(let status, _) = error else {
                    Issue.record("expected an HTTP error, got \(error)")
                    return
                }
                #expect(status == 503)
                #expect(!"\(error)".contains(Self.apiKey.value))
            }
            #expect(await recorder.requests == 2)
        }
    }

    @Test func unreachableEndpointFailsWithoutTheKey() async throws {
        let client = Self.client("http://127.0.0.1:1", maxAttempts: 1)
        do {
            _ = try await client.embed(["x"])
            Issue.record("expected a transport error")
        } catch {
            #expect(error is EmbeddingError)
            #expect(!"\(error)".contains(Self.apiKey.value))
        }
    }

    @Test(arguments: TestEngine.available)
    func semanticSearchFindsMeaningWithoutSharedWords(engine: TestEngine) async throws {
        try await Self.withEndpoint { baseURL, recorder in
            try await TestDatabases.withDatabase(engine) { database in
                let provider = Self.client(baseURL)
                let store = SQLKnowledgeStore(database: database, embeddings: provider, logger: Self.logger)
                _ = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
                let lexical = SQLKnowledgeStore(database: database, logger: Self.logger)
                #expect(try await lexical.search(KnowledgeQuery(text: "salary wages")).isEmpty)

                let matches = try await store.search(KnowledgeQuery(text: "salary wages"))
                #expect(["payroll-final", "payroll-any"].contains(matches.first?.entry.key ?? ""))
                #expect(matches.first?.reasons == [.semantic])
                // Hybrid: a text match that is also semantically close ranks above a semantic-only one.
                let hybrid = try await store.search(KnowledgeQuery(text: "backup salary"))
                #expect(hybrid.first?.entry.key == "backup")
                #expect(hybrid.first?.reasons == [.text, .semantic])
                return ()
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func embeddingsAreCachedByContentHash(engine: TestEngine) async throws {
        try await Self.withEndpoint { baseURL, recorder in
            try await TestDatabases.withDatabase(engine) { database in
                let store = SQLKnowledgeStore(database: database, embeddings: Self.client(baseURL), logger: Self.logger)
                _ = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
                #expect(await recorder.inputs.count == KnowledgeSamples.entries.count)
                _ = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
                #expect(await recorder.inputs.count == KnowledgeSamples.entries.count)
                // An owner change does not change the embedded text: the stored vector is reused.
                var changed = KnowledgeSamples.entries
                changed[0].owner = "Outra equipe"
                changed[1].procedure = "Novo procedimento da folha"
                let outcome = try await store.replaceAll(with: changed, importErrors: 0)
                #expect(outcome.updated == 2)
                #expect(await recorder.inputs.count == KnowledgeSamples.entries.count + 1)
                return ()
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func importSucceedsLexicallyWhenTheEndpointIsDown(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let provider = Self.client("http://127.0.0.1:1", maxAttempts: 1)
            let store = SQLKnowledgeStore(database: database, embeddings: provider, logger: Self.logger)
            let outcome = try await store.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
            #expect(outcome.created == KnowledgeSamples.entries.count)
            let matches = try await store.search(KnowledgeQuery(text: "folha de pagamento"))
            #expect(matches.first?.entry.key == "payroll-final")
            #expect(matches.first?.reasons == [.text])
            return ()
        }
    }

    /// An embeddings endpoint that takes `delay` per call (in process: the test is about the budget, not HTTP).
    struct SlowEmbeddings: EmbeddingProvider {
        let model = "fake-embed"
        let delay: Duration

        func embed(_ texts: [String]) async throws -> [[Float]] {
            try await Task.sleep(for: delay)
            return texts.map(FakeEmbeddings.vector(for:))
        }
    }

    /// A slow endpoint held the first import (and so the whole knowledge base) for as long as it took: about 45 s
    /// on a fresh database (found by QA). The import now waits at most its budget, and the next import of the
    /// same entries computes the vectors left out.
    @Test(arguments: TestEngine.available)
    func aSlowEndpointDelaysTheVectorsNotTheImport(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let slow = SQLKnowledgeStore(
                database: database, embeddings: SlowEmbeddings(delay: .seconds(300)), logger: Self.logger,
                embeddingBudget: .milliseconds(300))
            let clock = ContinuousClock()
            let started = clock.now
            let first = try await slow.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
            // Far from the endpoint's 300 s, with room for a busy machine (the parallel pass took 6 s once).
            #expect(clock.now - started < .seconds(30))
            #expect(first.created == KnowledgeSamples.entries.count)
            #expect(first.vectorsMissing == KnowledgeSamples.entries.count)
            let lexical = try await slow.search(KnowledgeQuery(text: "folha de pagamento"))
            #expect(lexical.first?.entry.key == "payroll-final")

            let fast = SQLKnowledgeStore(
                database: database, embeddings: SlowEmbeddings(delay: .zero), logger: Self.logger)
            let second = try await fast.replaceAll(with: KnowledgeSamples.entries, importErrors: 0)
            #expect(second.vectorsMissing == 0)
            #expect(second.unchanged == KnowledgeSamples.entries.count)
            let semantic = try await fast.search(KnowledgeQuery(text: "salary wages"))
            #expect(semantic.first?.reasons == [.semantic])
            return ()
        }
    }
}
