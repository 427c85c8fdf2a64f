import Foundation
import Logging
import PostgresNIO
import ResyncCore

/// Knowledge SQL for PostgreSQL: indexed lookups, a `tsvector` ('simple' configuration) over the same
/// pre-folded text as SQLite's FTS5, ranked by `ts_rank`, and vectors as `real[]`.
struct PostgresKnowledgeBackend: KnowledgeBackend {
    let client: PostgresClient
    let logger: Logger

    func generation() async throws -> Int64 {
        for try await value in try await client.query(
            "SELECT generation FROM knowledge_meta WHERE id = 1", logger: logger
        )
        .decode(Int64.self) {
            return value
        }
        return 0
    }

    func wildcardRows() async throws -> [WildcardRow] {
        var rows: [WildcardRow] = []
        let query: PostgresQuery =
            "SELECT key, job_pattern, job_stream, workstation FROM knowledge_entries WHERE has_wildcard"
        for try await (key, job, stream, workstation) in try await client.query(query, logger: logger)
            .decode((String, String?, String?, String?).self)
        {
            rows.append(WildcardRow.make(key: key, jobPattern: job, jobStream: stream, workstation: workstation))
        }
        return rows
    }

    func lookup(_ lookup: KnowledgeLookup) async throws -> KnowledgeLookupResult {
        // The steps run one after the other on pooled connections; PostgreSQL has no reader hop to save.
        var result = KnowledgeLookupResult(generation: try await generation())
        if let base = lookup.jobBase {
            result.exactJobs = try await hits(
                "SELECT key, job_qualified FROM knowledge_entries WHERE job_base = \(base) LIMIT 1000")
        }
        if let stream = lookup.jobStream {
            result.jobStreamKeys = try await hits(
                "SELECT key, job_stream FROM knowledge_entries WHERE job_stream = \(stream) LIMIT 1000")
        }
        if let workstation = lookup.workstation {
            result.workstationKeys = try await hits(
                "SELECT key, workstation FROM knowledge_entries WHERE workstation = \(workstation) LIMIT 1000")
        }
        if !lookup.terms.isEmpty {
            result.textRanks = try await textSearch(terms: lookup.terms, limit: lookup.depth)
        }
        if !lookup.errorCodes.isEmpty {
            let codes = lookup.errorCodes
            let found = lookup.errorCheckedKeys(result)
            if !found.isEmpty {
                result.errorHits = try await hits(
                    "SELECT entry_key, code FROM knowledge_error_codes WHERE code = ANY(\(codes)) AND entry_key = ANY(\(found))"
                )
            }
            result.errorHits += try await hits(
                "SELECT entry_key, code FROM knowledge_error_codes WHERE code = ANY(\(codes)) LIMIT \(lookup.depth)")
        }
        return result
    }

    func textSearch(terms: [String], limit: Int) async throws -> [String] {
        // Terms are folded letters and digits; quoted lexemes keep tsquery operators out of user text.
        let tsquery = terms.map { "'\($0.replacingOccurrences(of: "'", with: ""))'" }.joined(separator: " | ")
        var keys: [String] = []
        let query: PostgresQuery = """
            SELECT key FROM knowledge_entries, to_tsquery('simple', \(tsquery)) AS q
            WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC, key LIMIT \(limit)
            """
        for try await key in try await client.query(query, logger: logger).decode(String.self) { keys.append(key) }
        return keys
    }

    func commonTerms(minimumDocuments: Int) async throws -> Set<String> {
        var terms = Set<String>()
        let query: PostgresQuery =
            "SELECT word FROM ts_stat('SELECT search_vector FROM knowledge_entries') WHERE ndoc >= \(minimumDocuments)"
        for try await word in try await client.query(query, logger: logger).decode(String.self) { terms.insert(word) }
        return terms
    }

    func vectors(model: String) async throws -> [(key: String, vector: [Float])] {
        var vectors: [(key: String, vector: [Float])] = []
        let query: PostgresQuery =
            "SELECT key, embedding FROM knowledge_entries WHERE embedding_model = \(model) AND embedding IS NOT NULL"
        for try await (key, vector) in try await client.query(query, logger: logger).decode((String, [Float]).self) {
            vectors.append((key, vector))
        }
        return vectors
    }

    func entries(keys: [String]) async throws -> [String: KnowledgeEntry] {
        guard !keys.isEmpty else { return [:] }
        var entries: [String: KnowledgeEntry] = [:]
        let query: PostgresQuery = "SELECT key, payload FROM knowledge_entries WHERE key = ANY(\(keys))"
        for try await (key, payload) in try await client.query(query, logger: logger).decode((String, String).self) {
            entries[key] = try KnowledgeRow.decode(payload)
        }
        return entries
    }

    func storedStates() async throws -> [String: StoredEntryState] {
        var states: [String: StoredEntryState] = [:]
        let query: PostgresQuery = "SELECT key, content_hash, embedding_hash, embedding_model FROM knowledge_entries"
        for try await (key, content, embedding, model) in try await client.query(query, logger: logger)
            .decode((String, String, String, String?).self)
        {
            states[key] = StoredEntryState(contentHash: content, embeddingHash: embedding, embeddingModel: model)
        }
        return states
    }

    func cachedVectors(model: String) async throws -> [String: [Float]] {
        var vectors: [String: [Float]] = [:]
        let query: PostgresQuery = """
            SELECT embedding_hash, embedding FROM knowledge_entries
            WHERE embedding_model = \(model) AND embedding IS NOT NULL
            """
        for try await (hash, vector) in try await client.query(query, logger: logger).decode((String, [Float]).self) {
            vectors[hash] = vector
        }
        return vectors
    }

    func apply(_ plan: ReplacePlan, importErrors: Int, at date: Date) async throws -> KnowledgeReplaceOutcome {
        try await client.withTransaction(logger: logger) { connection in
            var writes = plan.makeWrites()
            var batch: [KnowledgeRow] = []
            var replaced: [String] = []
            func flush() async throws {
                if !replaced.isEmpty {
                    try await connection.query(
                        "DELETE FROM knowledge_entries WHERE key = ANY(\(replaced))", logger: logger)
                }
                if !batch.isEmpty { try await Self.insert(batch[...], on: connection, logger: logger) }
                batch.removeAll(keepingCapacity: true)
                replaced.removeAll(keepingCapacity: true)
            }
            while let write = try writes.next() {
                batch.append(write.row)
                if write.replaces { replaced.append(write.row.key) }
                if batch.count == 500 { try await flush() }
            }
            try await flush()
            for keys in writes.deletes().knowledgeBatches(1000) {
                try await connection.query(
                    "DELETE FROM knowledge_entries WHERE key = ANY(\(Array(keys)))", logger: logger)
            }
            let bump = writes.changed ? 1 : 0
            try await connection.query(
                """
                UPDATE knowledge_meta SET generation = generation + \(bump), last_import = \(date.timeIntervalSince1970),
                    last_import_errors = \(importErrors) WHERE id = 1
                """, logger: logger)
            return writes.outcome
        }
    }

    static func insert(_ rows: ArraySlice<KnowledgeRow>, on connection: PostgresConnection, logger: Logger) async throws
    {
        let keys = rows.map(\.key)
        let bases = rows.map { $0.jobBase ?? "" }
        let qualified = rows.map { $0.jobQualified ?? "" }
        let patterns = rows.map { $0.jobPattern ?? "" }
        let streams = rows.map { $0.jobStream ?? "" }
        let workstations = rows.map { $0.workstation ?? "" }
        let wildcards = rows.map(\.hasWildcard)
        let contents = rows.map(\.contentHash)
        let embeddingHashes = rows.map(\.embeddingHash)
        let payloads = rows.map(\.payload)
        let texts = rows.map(\.searchText)
        let times = rows.map(\.updatedAt)
        try await connection.query(
            """
            INSERT INTO knowledge_entries (key, job_base, job_qualified, job_pattern, job_stream, workstation,
                has_wildcard, content_hash, embedding_hash, payload, search_text, updated_at)
            SELECT k, NULLIF(b, ''), NULLIF(q, ''), NULLIF(p, ''), NULLIF(s, ''), NULLIF(w, ''), x, c, h, d, t, u
            FROM UNNEST(\(keys)::text[], \(bases)::text[], \(qualified)::text[], \(patterns)::text[],
                \(streams)::text[], \(workstations)::text[], \(wildcards)::boolean[], \(contents)::text[],
                \(embeddingHashes)::text[], \(payloads)::text[], \(texts)::text[], \(times)::float8[])
                AS r(k, b, q, p, s, w, x, c, h, d, t, u)
            """, logger: logger)
        let codeKeys = rows.flatMap { row in row.errorCodes.map { _ in row.key } }
        let codes = rows.flatMap(\.errorCodes)
        if !codes.isEmpty {
            try await connection.query(
                """
                INSERT INTO knowledge_error_codes (code, entry_key)
                SELECT c, k FROM UNNEST(\(codes)::text[], \(codeKeys)::text[]) AS r(c, k) ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        for row in rows {
            guard let vector = row.embedding, let model = row.embeddingModel else { continue }
            try await connection.query(
                "UPDATE knowledge_entries SET embedding = \(vector), embedding_model = \(model) WHERE key = \(row.key)",
                logger: logger)
        }
    }

    func stats() async throws -> KnowledgeStats {
        let query: PostgresQuery = """
            SELECT (SELECT COUNT(*) FROM knowledge_entries), last_import, last_import_errors
            FROM knowledge_meta WHERE id = 1
            """
        for try await (count, last, errors) in try await client.query(query, logger: logger)
            .decode((Int64, Double?, Int32).self)
        {
            return KnowledgeStats(
                entries: Int(count), lastImport: last.map(Date.init(timeIntervalSince1970:)),
                lastImportErrors: Int(errors))
        }
        return KnowledgeStats(entries: 0)
    }

    func hits(_ query: PostgresQuery) async throws -> [KeyHit] {
        var hits: [KeyHit] = []
        for try await (key, value) in try await client.query(query, logger: logger).decode((String, String?).self) {
            hits.append(KeyHit(key: key, value: value))
        }
        return hits
    }
}

extension Array {
    func knowledgeBatches(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
