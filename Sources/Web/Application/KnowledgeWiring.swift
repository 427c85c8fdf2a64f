import AsyncHTTPClient
import Knowledge
import LLM
import Logging
import ResyncCore
import Storage

/// The knowledge base, the memory store, and the watcher that keeps the knowledge base in step with
/// `KNOWLEDGE_BASE_PATH`. Semantic search is on when `EMBEDDING_MODEL_NAME` is set.
public struct KnowledgeWiring: Sendable {
    public var knowledge: any KnowledgeStore
    public var memories: any MemoryStore
    public var watcher: KnowledgeWatcher

    /// `httpClient` is the application's outbound client; the CLI's one-shot commands keep the process-wide one.
    public static func make(
        config: AppConfig, database: AppDatabase, httpClient: HTTPClient = .shared, logger: Logger
    ) -> KnowledgeWiring {
        let knowledge = knowledgeStore(config: config, database: database, httpClient: httpClient, logger: logger)
        let watcher = KnowledgeWatcher(
            path: config.knowledgeBasePath, store: knowledge, logger: logger,
            prepare: { try await database.migrate() })
        return KnowledgeWiring(
            knowledge: knowledge, memories: SQLMemoryStore(database: database, logger: logger), watcher: watcher)
    }

    /// The knowledge store alone (the CLI's `kb` commands).
    public static func knowledgeStore(
        config: AppConfig, database: AppDatabase, httpClient: HTTPClient = .shared, logger: Logger
    ) -> SQLKnowledgeStore {
        SQLKnowledgeStore(
            database: database,
            embeddings: embeddingProvider(config: config, httpClient: httpClient, logger: logger), logger: logger)
    }

    static func embeddingProvider(
        config: AppConfig, httpClient: HTTPClient, logger: Logger
    ) -> (any EmbeddingProvider)? {
        guard let model = config.llm.embeddingModel else { return nil }
        return OpenAIEmbeddingsClient(
            baseURL: config.llm.endpoint ?? "https://api.openai.com", model: model, apiKey: config.llm.apiKey,
            httpClient: httpClient, logger: logger)
    }
}
