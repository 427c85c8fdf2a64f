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

    /// Bounds the `IN` list of one error-code look-up (SQLite allows 32,766 parameters).
    static let maximumErrorCheckedCandidates = 5_000

    public init(
        database: AppDatabase, embeddings: (any EmbeddingProvider)? = nil, logger: Logger, embeddingBatchSize: Int = 64
    ) {
        switch database.engine {
        case .sqlite(let writer): backend = SQLiteKnowledgeBackend(writer: writer)
        case .postgres(let client): backend = PostgresKnowledgeBackend(client: client, logger: logger)
        }
        self.embeddings = embeddings
        self.logger = logger
        self.embeddingBatchSize = max(1, embeddingBatchSize)
    }

    public func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] {
        let limit = min(max(query.limit, 1), 100)
        let index = try await currentIndex()
        var ranking = KnowledgeRanking(query: query)
        if let job = ranking.jobName {
            for hit in try await backend.exactJobs(base: JobNamePattern.baseName(job)) {
                ranking.addExactJob(key: hit.key, qualified: hit.value)
            }
        }
        if let stream = ranking.jobStream {
            for hit in try await backend.keys(jobStream: stream) {
                ranking.add(key: hit.key, reason: .jobStream(stream))
            }
        }
        if let workstation = ranking.workstation {
            for hit in try await backend.keys(workstation: workstation) {
                ranking.add(key: hit.key, reason: .workstation(workstation))
            }
        }
        ranking.addWildcards(index.wildcards)
        let depth = max(limit * 4, 20)
        if !ranking.errorCodes.isEmpty {
            // Every entry already found (its job, stream or workstation) is checked for the error; entries found
            // by the error alone are a sample, since thousands may share a common code such as RC=4.
            let keys = ranking.candidates.keys
            let found =
                keys.count <= Self.maximumErrorCheckedCandidates
                ? Array(keys) : Array(keys.sorted().prefix(Self.maximumErrorCheckedCandidates))
            var hits =
                found.isEmpty ? [] : try await backend.keys(errorCodes: ranking.errorCodes, among: found, limit: 0)
            hits += try await backend.keys(errorCodes: ranking.errorCodes, among: nil, limit: depth * 10)
            for hit in hits { ranking.add(key: hit.key, reason: .errorCode(hit.value ?? "")) }
        }
        let distinctive = ranking.terms.filter { !index.commonTerms.contains($0) }
        if !distinctive.isEmpty {
            ranking.textRanks = try await backend.textSearch(terms: distinctive, limit: depth)
        }
        if let text = query.text, !text.isEmpty, let embeddings {
            ranking.semanticRanks = await semanticKeys(text: text, provider: embeddings, index: index, limit: depth)
        }
        let shortlist = ranking.shortlist(depth)
        let entries = try await backend.entries(keys: shortlist)
        return ranking.matches(entries: entries, limit: limit)
    }

    public func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        let now = Date()
        let rows = try entries.map { try KnowledgeRow(entry: $0, updatedAt: now) }
        let stored = try await backend.storedStates()
        var outcome = KnowledgeReplaceOutcome(created: 0, updated: 0, unchanged: 0, removed: 0)
        var writes: [KnowledgeRow] = []
        var seen = Set<String>()
        for row in rows where seen.insert(row.key).inserted {
            guard let previous = stored[row.key] else {
                outcome.created += 1
                writes.append(row)
                continue
            }
            let needsVector = embeddings != nil && previous.embeddingModel != embeddings?.model
            if previous.contentHash == row.contentHash && !needsVector {
                outcome.unchanged += 1
            } else {
                if previous.contentHash == row.contentHash { outcome.unchanged += 1 } else { outcome.updated += 1 }
                writes.append(row)
            }
        }
        let deletes = stored.keys.filter { !seen.contains($0) }
        outcome.removed = deletes.count
        if let embeddings, !writes.isEmpty {
            writes = await attachVectors(to: writes, provider: embeddings)
        }
        try await backend.apply(
            ReplacePlan(
                writes: writes, deletes: deletes + writes.compactMap { stored[$0.key] == nil ? nil : $0.key },
                outcome: outcome),
            importErrors: importErrors, at: now)
        return outcome
    }

    public func entry(key: String) async throws -> KnowledgeEntry? {
        try await backend.entries(keys: [key])[key]
    }

    public func stats() async throws -> KnowledgeStats {
        try await backend.stats()
    }

    func currentIndex() async throws -> IndexCache {
        let generation = try await backend.generation()
        if let cached = cache.withLock({ $0 }), cached.generation == generation { return cached }
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
