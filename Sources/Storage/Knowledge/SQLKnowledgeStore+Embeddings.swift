import Foundation
import Logging
import ResyncCore

extension SQLKnowledgeStore {
    /// The vectors of the rows `plan` will write, by embedding-text hash: reused from the store when the
    /// text is unchanged (same hash), otherwise computed in batches, for at most `embeddingBudget`. A provider
    /// failure or the budget's end leaves the remaining rows without vectors (they are still found lexically)
    /// rather than failing or holding up the import; `missing` counts them.
    func vectors(for plan: ReplacePlan, provider: any EmbeddingProvider) async throws -> (
        vectors: [String: [Float]], missing: Int
    ) {
        var texts: [(hash: String, text: String)] = []
        var wanted = Set<String>()
        var writes = plan.makeWrites()
        while let write = try writes.next() {
            guard wanted.insert(write.row.embeddingHash).inserted else { continue }
            texts.append((write.row.embeddingHash, KnowledgeRow.embeddingText(of: write.entry)))
        }
        guard !texts.isEmpty else { return ([:], 0) }
        let cached = (try? await backend.cachedVectors(model: provider.model)) ?? [:]
        var vectors = cached.filter { wanted.contains($0.key) }
        let missing = texts.filter { vectors[$0.hash] == nil }
        var computed = 0
        let deadline = ContinuousClock.now + embeddingBudget
        for batchStart in stride(from: 0, to: missing.count, by: embeddingBatchSize) {
            let batch = missing[batchStart..<min(batchStart + embeddingBatchSize, missing.count)]
            let texts = batch.map(\.text)
            do {
                let left = deadline - .now
                guard left > .zero else { throw DeadlineExceeded(limit: embeddingBudget) }
                let answer = try await withDeadline(left) { try await provider.embed(texts) }
                guard answer.count == batch.count else { throw EmbeddingError.malformedResponse("wrong vector count") }
                for (item, vector) in zip(batch, answer) { vectors[item.hash] = vector }
                computed += batch.count
            } catch {
                logger.warning(
                    "embeddings unavailable; the remaining entries are searched lexically only",
                    metadata: ["error": "\(error)", "missing": "\(missing.count - computed)"])
                break
            }
        }
        if !missing.isEmpty {
            logger.info(
                "knowledge embeddings computed",
                metadata: ["computed": "\(computed)", "reused": "\(texts.count - missing.count)"])
        }
        return (vectors, missing.count - computed)
    }

    /// Keys nearest to the question by cosine similarity, best first; empty when the provider fails.
    func semanticKeys(text: String, provider: any EmbeddingProvider, index: IndexCache, limit: Int) async -> [String] {
        guard let vectors = index.vectors, !vectors.isEmpty else { return [] }
        let queryVector: [Float]
        do {
            guard let first = try await provider.embed([text]).first else { return [] }
            queryVector = first
        } catch {
            logger.warning("semantic search skipped", metadata: ["error": "\(error)"])
            return []
        }
        var scored: [(key: String, score: Float)] = []
        scored.reserveCapacity(vectors.count)
        for (key, vector) in vectors {
            let score = Self.cosine(queryVector, vector)
            if score > 0.2 { scored.append((key, score)) }
        }
        scored.sort { $0.score > $1.score }
        return scored.prefix(limit).map(\.key)
    }

    static func cosine(_ lhs: [Float], _ rhs: [Float]) -> Float {
        guard lhs.count == rhs.count, !lhs.isEmpty else { return 0 }
        var dot: Float = 0
        var left: Float = 0
        var right: Float = 0
        for index in lhs.indices {
            dot += lhs[index] * rhs[index]
            left += lhs[index] * lhs[index]
            right += rhs[index] * rhs[index]
        }
        let norm = (left * right).squareRoot()
        return norm > 0 ? dot / norm : 0
    }
}
