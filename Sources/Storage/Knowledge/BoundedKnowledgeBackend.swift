import Foundation
import ResyncCore

/// A PostgreSQL knowledge backend whose every call ends within its bound, so an answer or an import never waits
/// on a server that is down. An import writes in one transaction and may take minutes; it has a bound of its own.
struct BoundedKnowledgeBackend: KnowledgeBackend {
    let base: any KnowledgeBackend
    let bound: PostgresCallBound
    let importBound: PostgresCallBound

    func generation() async throws -> Int64 { try await bound.run { try await base.generation() } }
    func wildcardRows() async throws -> [WildcardRow] { try await bound.run { try await base.wildcardRows() } }
    func lookup(_ lookup: KnowledgeLookup) async throws -> KnowledgeLookupResult {
        try await bound.run { try await base.lookup(lookup) }
    }
    func commonTerms(minimumDocuments: Int) async throws -> Set<String> {
        try await bound.run { try await base.commonTerms(minimumDocuments: minimumDocuments) }
    }
    func vectors(model: String) async throws -> [(key: String, vector: [Float])] {
        try await bound.run { try await base.vectors(model: model) }
    }
    func entries(keys: [String]) async throws -> [String: KnowledgeEntry] {
        try await bound.run { try await base.entries(keys: keys) }
    }
    func storedStates() async throws -> [String: StoredEntryState] {
        try await importBound.run { try await base.storedStates() }
    }
    func cachedVectors(model: String) async throws -> [String: [Float]] {
        try await importBound.run { try await base.cachedVectors(model: model) }
    }
    func apply(_ plan: ReplacePlan, importErrors: Int, at: Date) async throws -> KnowledgeReplaceOutcome {
        try await importBound.run { try await base.apply(plan, importErrors: importErrors, at: at) }
    }
    func stats() async throws -> KnowledgeStats { try await bound.run { try await base.stats() } }
}
