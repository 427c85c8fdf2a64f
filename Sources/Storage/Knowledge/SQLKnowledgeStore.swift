import Foundation
import Logging
import ResyncCore
import Synchronization

/// The knowledge base on the app's database (SQLite or PostgreSQL, picked from `AppDatabase.engine`).
/// Search runs the cascade exact job → wildcard patterns → job stream / workstation → error codes →
/// full text → (with an embedding provider) semantic, and ranks the union (see `KnowledgeRanking`).
public final class SQLKnowledgeStore: KnowledgeStore {
    let backend: any KnowledgeBackend
    let embeddings: (any EmbeddingProvider)?
    let logger: Logger
    let embeddingBatchSize: Int
    let embeddingBudget: Duration
    /// Wildcard entries and vectors of the current generation, shared by all searches of this process.
    let cache = Mutex<IndexCache?>(nil)

    struct IndexCache: Sendable {
        var generation: Int64
        var wildcards: [WildcardRow]
        var vectors: [(key: String, vector: [Float])]?
        /// Terms so frequent that they tell no entry apart; searching them would rank nearly the whole base.
        var commonTerms: Set<String> = []
    }

    /// A term in at least this many entries is left out of full-text search: 5 % of the base, and never fewer
    /// than 50 entries, so a small base searches every term.
    static func commonTermThreshold(entries: Int) -> Int { max(50, entries / 20) }

    /// How long one import's reads and its write transaction may take on PostgreSQL.
    static let importTimeout: Duration = .seconds(600)

    /// - Parameter embeddingBudget: how long one import waits for the embeddings endpoint; the entries it has not
    ///   vectorised by then are written without vectors (`KnowledgeReplaceOutcome.vectorsMissing`), so a slow
    ///   endpoint delays semantic search, not the knowledge base itself.
    public init(
        database: AppDatabase, embeddings: (any EmbeddingProvider)? = nil, logger: Logger, embeddingBatchSize: Int = 64,
        embeddingBudget: Duration = .seconds(10)
    ) {
        switch database.engine {
        case .sqlite(let writer): backend = SQLiteKnowledgeBackend(writer: writer)
        case .postgres(let client):
            backend = BoundedKnowledgeBackend(
                base: PostgresKnowledgeBackend(client: client, logger: logger),
                bound: PostgresCallBound(limit: database.postgresCallTimeout),
                importBound: PostgresCallBound(limit: Self.importTimeout))
        }
        self.embeddings = embeddings
        self.logger = logger
        self.embeddingBatchSize = max(1, embeddingBatchSize)
        self.embeddingBudget = embeddingBudget
    }

    public func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] {
        let limit = min(max(query.limit, 1), 100)
        var index = try await cachedIndex()
        var ranking = KnowledgeRanking(query: query)
        // Glob matching runs once: its keys go to the SQL look-ups (checked for error codes), its reasons are
        // added after the exact matches (a job pattern counts only when it beats an exact job).
        var wildcards = ranking.wildcardHits(index.wildcards)
        var found = try await backend.lookup(lookup(for: ranking, wildcards: wildcards, index: index, limit: limit))
        if found.generation != index.generation {
            // An import landed since the index was cached: look up again against the new one.
            index = try await loadIndex()
            wildcards = ranking.wildcardHits(index.wildcards)
            found = try await backend.lookup(lookup(for: ranking, wildcards: wildcards, index: index, limit: limit))
        }
        for hit in found.exactJobs { ranking.addExactJob(key: hit.key, qualified: hit.value) }
        if let stream = ranking.jobStream {
            for hit in found.jobStreamKeys { ranking.add(key: hit.key, reason: .jobStream(stream)) }
        }
        if let workstation = ranking.workstation {
            for hit in found.workstationKeys { ranking.add(key: hit.key, reason: .workstation(workstation)) }
        }
        ranking.add(wildcards)
        for hit in found.errorHits { ranking.add(key: hit.key, reason: .errorCode(hit.value ?? "")) }
        ranking.textRanks = found.textRanks
        let depth = Self.depth(limit: limit)
        if let text = query.text, !text.isEmpty, let embeddings {
            ranking.semanticRanks = await semanticKeys(text: text, provider: embeddings, index: index, limit: depth)
        }
        let shortlist = ranking.shortlist(depth)
        let entries = try await backend.entries(keys: shortlist)
        return ranking.matches(entries: entries, limit: limit)
    }

    static func depth(limit: Int) -> Int { max(limit * 4, 20) }

    /// The SQL look-ups for `ranking`'s question; wildcard matches, found in memory, go along so that they
    /// are checked for the error codes too.
    func lookup(
        for ranking: KnowledgeRanking, wildcards: [KnowledgeRanking.WildcardHit], index: IndexCache, limit: Int
    ) -> KnowledgeLookup {
        KnowledgeLookup(
            jobBase: ranking.jobName.map(JobNamePattern.baseName), jobStream: ranking.jobStream,
            workstation: ranking.workstation, errorCodes: ranking.errorCodes,
            knownKeys: Array(Set(wildcards.map(\.key))).sorted(),
            terms: ranking.terms.filter { !index.commonTerms.contains($0) }, depth: Self.depth(limit: limit))
    }

    public func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        let now = Date()
        var plan = ReplacePlan(entries: entries, stored: try await backend.storedStates(), updatedAt: now)
        var missing = 0
        if let embeddings {
            plan.embeddingModel = embeddings.model
            (plan.vectors, missing) = try await vectors(for: plan, provider: embeddings)
        }
        var outcome = try await backend.apply(plan, importErrors: importErrors, at: now)
        outcome.vectorsMissing = missing
        return outcome
    }

    public func entry(key: String) async throws -> KnowledgeEntry? {
        try await backend.entries(keys: [key])[key]
    }

    public func stats() async throws -> KnowledgeStats {
        try await backend.stats()
    }

    /// The cached index, loaded on first use; `search` reloads it when a look-up sees a newer generation.
    func cachedIndex() async throws -> IndexCache {
        if let cached = cache.withLock({ $0 }) { return cached }
        return try await loadIndex()
    }

    func loadIndex() async throws -> IndexCache {
        let generation = try await backend.generation()
        var fresh = IndexCache(generation: generation, wildcards: try await backend.wildcardRows(), vectors: nil)
        let entries = try await backend.stats().entries
        fresh.commonTerms = try await backend.commonTerms(minimumDocuments: Self.commonTermThreshold(entries: entries))
        if let embeddings {
            fresh.vectors = try await backend.vectors(model: embeddings.model)
        }
        let loaded = fresh
        cache.withLock { $0 = loaded }
        return loaded
    }
}
