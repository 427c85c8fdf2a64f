import Foundation
import ResyncCore

/// A `replaceAll`: the imported entries against what the store holds. Rows are made one at a time while
/// the backend writes them (`ReplaceWrites`), so that an import of 100,000 entries never also holds
/// 100,000 rows (their JSON payloads and folded texts) in memory.
struct ReplacePlan: Sendable {
    var entries: [KnowledgeEntry]
    var stored: [String: StoredEntryState]
    var updatedAt: Date
    /// With embeddings on: the model, and the vectors of the rows to write by embedding-text hash.
    var embeddingModel: String?
    var vectors: [String: [Float]] = [:]

    func makeWrites() -> ReplaceWrites { ReplaceWrites(plan: self) }
}

/// One row to write; `replaces` when a stored row with its key must be deleted first.
struct ReplaceWrite {
    var row: KnowledgeRow
    var entry: KnowledgeEntry
    var replaces: Bool
}

/// Walks a plan's entries in order and yields those to write (new, changed, or lacking the current
/// embedding model), counting the outcome as it goes; a repeated key keeps its first entry.
struct ReplaceWrites {
    let plan: ReplacePlan
    private var position = 0
    private var seen = Set<String>()
    private(set) var outcome = KnowledgeReplaceOutcome(created: 0, updated: 0, unchanged: 0, removed: 0)
    private var written = 0

    init(plan: ReplacePlan) { self.plan = plan }

    mutating func next() throws -> ReplaceWrite? {
        while position < plan.entries.count {
            let entry = plan.entries[position]
            position += 1
            guard seen.insert(entry.key).inserted else { continue }
            var row = try KnowledgeRow(entry: entry, updatedAt: plan.updatedAt)
            if let model = plan.embeddingModel, let vector = plan.vectors[row.embeddingHash] {
                row.embedding = vector
                row.embeddingModel = model
            }
            guard let previous = plan.stored[row.key] else {
                outcome.created += 1
                written += 1
                return ReplaceWrite(row: row, entry: entry, replaces: false)
            }
            let needsVector = plan.embeddingModel != nil && previous.embeddingModel != plan.embeddingModel
            if previous.contentHash == row.contentHash {
                outcome.unchanged += 1
                if !needsVector { continue }
            } else {
                outcome.updated += 1
            }
            written += 1
            return ReplaceWrite(row: row, entry: entry, replaces: true)
        }
        return nil
    }

    /// Stored keys the import no longer has; complete once `next()` has returned nil.
    mutating func deletes() -> [String] {
        let deletes = plan.stored.keys.filter { !seen.contains($0) }
        outcome.removed = deletes.count
        return deletes
    }

    /// Whether the import changed anything (after `deletes()`).
    var changed: Bool { written + outcome.removed > 0 }
}
