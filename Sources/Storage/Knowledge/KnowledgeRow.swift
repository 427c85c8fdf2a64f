import Foundation
import ResyncCore

/// A knowledge entry as stored: the entry itself (JSON), the columns the cascade looks up, the folded
/// text both full-text engines index, and hashes that say whether it (or its embedding text) changed.
struct KnowledgeRow: Sendable {
    var key: String
    var jobBase: String?
    var jobQualified: String?
    var jobPattern: String?
    var jobStream: String?
    var workstation: String?
    var hasWildcard: Bool
    var errorCodes: [String]
    var contentHash: String
    var embeddingHash: String
    var payload: String
    var searchText: String
    var embedding: [Float]?
    var embeddingModel: String?
    var updatedAt: Double

    init(entry: KnowledgeEntry, updatedAt: Date) throws {
        var entry = entry
        entry.updatedAt = nil
        let contentJSON = try Self.encode(entry)
        contentHash = StableHash.hex(contentJSON)
        entry.updatedAt = updatedAt
        payload = try Self.encode(entry)
        key = entry.key
        let job = entry.jobPattern?.trimmingCharacters(in: .whitespaces).uppercased()
        if let job, !job.isEmpty {
            if JobNamePattern.isWildcard(job) {
                jobPattern = job
            } else {
                jobBase = JobNamePattern.baseName(job)
                jobQualified = job.contains("/") ? JobNamePattern.qualifiedName(job) : nil
            }
        }
        jobStream = entry.jobStream?.uppercased()
        workstation = entry.workstation?.uppercased()
        hasWildcard = [jobPattern, jobStream, workstation].contains { $0.map(JobNamePattern.isWildcard) ?? false }
        errorCodes = Array(Set(entry.errorCodes.compactMap(ErrorCode.normalize))).sorted()
        let embeddingText = Self.embeddingText(of: entry)
        embeddingHash = StableHash.hex(embeddingText)
        searchText = TextFolding.indexText(Self.searchableText(of: entry))
        self.updatedAt = updatedAt.timeIntervalSince1970
    }

    /// Everything a person could search for: names, codes, words of every text field and extra field.
    static func searchableText(of entry: KnowledgeEntry) -> String {
        var parts = [
            entry.title, entry.jobPattern, entry.jobStream, entry.workstation, entry.description,
            entry.procedure, entry.owner, entry.contact, entry.severity,
        ].compactMap { $0 }
        parts += entry.errorCodes
        parts += entry.extra.map { "\($0.name) \($0.value)" }
        return parts.joined(separator: "\n")
    }

    /// The text whose meaning the embedding captures.
    static func embeddingText(of entry: KnowledgeEntry) -> String {
        [entry.title, entry.jobPattern, entry.errorCodes.joined(separator: " "), entry.description, entry.procedure]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func encode(_ entry: KnowledgeEntry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    static func decode(_ payload: String) throws -> KnowledgeEntry {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(KnowledgeEntry.self, from: Data(payload.utf8))
    }

    static func vectorData(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func vector(from data: Data) -> [Float] {
        var vector: [Float] = []
        vector.reserveCapacity(data.count / 4)
        var index = data.startIndex
        while index + 4 <= data.endIndex {
            var bits: UInt32 = 0
            for offset in 0..<4 { bits |= UInt32(data[index + offset]) << (8 * offset) }
            vector.append(Float(bitPattern: UInt32(littleEndian: bits)))
            index += 4
        }
        return vector
    }
}

/// What the store already holds for a key, to classify an import's entries.
struct StoredEntryState: Sendable {
    var contentHash: String
    var embeddingHash: String
    var embeddingModel: String?
}

/// An entry whose job, job stream or workstation is a wildcard pattern, kept in memory to match globs.
struct WildcardRow: Sendable {
    var key: String
    var jobPattern: JobNamePattern?
    var jobStream: JobNamePattern?
    var workstation: JobNamePattern?
}

/// One key that matched a lookup, with the value it matched on.
struct KeyHit: Sendable {
    var key: String
    var value: String?
}

/// The SQL of one engine behind `SQLKnowledgeStore`; ranking, caching and embeddings are shared.
protocol KnowledgeBackend: Sendable {
    /// Bumped by every import that changed something, so per-process caches know when to reload.
    func generation() async throws -> Int64
    func wildcardRows() async throws -> [WildcardRow]
    /// The generation and the indexed look-ups of one search (exact job, job stream, workstation, full
    /// text, then error codes among what those found plus a sample), each bounded to 1,000 hits.
    func lookup(_ lookup: KnowledgeLookup) async throws -> KnowledgeLookupResult
    /// The folded terms found in at least `minimumDocuments` entries.
    func commonTerms(minimumDocuments: Int) async throws -> Set<String>
    func vectors(model: String) async throws -> [(key: String, vector: [Float])]
    func entries(keys: [String]) async throws -> [String: KnowledgeEntry]
    func storedStates() async throws -> [String: StoredEntryState]
    /// Stored vectors by embedding-text hash, so unchanged texts are not sent to the provider again.
    func cachedVectors(model: String) async throws -> [String: [Float]]
    /// Writes the plan's new and changed rows and deletes the keys it no longer has, in one transaction.
    func apply(_ plan: ReplacePlan, importErrors: Int, at: Date) async throws -> KnowledgeReplaceOutcome
    func stats() async throws -> KnowledgeStats
}
