import Foundation
import GRDB
import ResyncCore

/// Knowledge SQL for SQLite: indexed lookups, FTS5 (BM25) over the folded text, vectors as blobs.
struct SQLiteKnowledgeBackend: KnowledgeBackend {
    let writer: any DatabaseWriter

    func generation() async throws -> Int64 {
        try await writer.read { db in try Self.generation(db) }
    }

    func wildcardRows() async throws -> [WildcardRow] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT key, job_pattern, job_stream, workstation FROM knowledge_entries WHERE has_wildcard = 1"
            ).map { row in
                WildcardRow.make(
                    key: row["key"], jobPattern: row["job_pattern"], jobStream: row["job_stream"],
                    workstation: row["workstation"])
            }
        }
    }

    func lookup(_ lookup: KnowledgeLookup) async throws -> KnowledgeLookupResult {
        try await writer.read { db in
            var result = KnowledgeLookupResult(generation: try Self.generation(db))
            if let base = lookup.jobBase {
                result.exactJobs = try Self.hits(
                    db, "SELECT key, job_qualified FROM knowledge_entries WHERE job_base = ?", base)
            }
            if let stream = lookup.jobStream {
                result.jobStreamKeys = try Self.hits(
                    db, "SELECT key, job_stream FROM knowledge_entries WHERE job_stream = ?", stream)
            }
            if let workstation = lookup.workstation {
                result.workstationKeys = try Self.hits(
                    db, "SELECT key, workstation FROM knowledge_entries WHERE workstation = ?", workstation)
            }
            if !lookup.terms.isEmpty {
                result.textRanks = try Self.textSearch(db, terms: lookup.terms, limit: lookup.depth)
            }
            if !lookup.errorCodes.isEmpty {
                let found = lookup.errorCheckedKeys(result)
                if !found.isEmpty { result.errorHits = try Self.keys(db, errorCodes: lookup.errorCodes, among: found) }
                result.errorHits += try Self.keys(db, errorCodes: lookup.errorCodes, among: nil, limit: lookup.depth)
            }
            return result
        }
    }

    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM knowledge_meta WHERE id = 1") ?? 0
    }

    static func keys(_ db: Database, errorCodes: [String], among keys: [String]?, limit: Int = 0) throws -> [KeyHit] {
        var sql = "SELECT entry_key, code FROM knowledge_error_codes WHERE code IN \(placeholders(errorCodes.count))"
        var values: [DatabaseValue] = errorCodes.map(\.databaseValue)
        if let keys {
            sql += " AND entry_key IN \(placeholders(keys.count))"
            values += keys.map(\.databaseValue)
        } else {
            sql += " LIMIT ?"
            values.append(limit.databaseValue)
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values))
            .map { KeyHit(key: $0["entry_key"] as String, value: $0["code"] as String?) }
    }

    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    static func textSearch(_ db: Database, terms: [String], limit: Int) throws -> [String] {
        // Terms are folded letters and digits only; quoting them keeps FTS5 syntax out of user text.
        let match = terms.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: " OR ")
        return try String.fetchAll(
            db,
            sql: """
                SELECT e.key FROM knowledge_fts f JOIN knowledge_entries e ON e.id = f.rowid
                WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts) LIMIT ?
                """,
            arguments: [match, limit])
    }

    func commonTerms(minimumDocuments: Int) async throws -> Set<String> {
        try await writer.read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT term FROM knowledge_fts_vocab WHERE doc >= ?", arguments: [minimumDocuments]))
        }
    }

    func vectors(model: String) async throws -> [(key: String, vector: [Float])] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT key, embedding FROM knowledge_entries WHERE embedding_model = ? AND embedding IS NOT NULL",
                arguments: [model]
            ).map { row in (key: row["key"] as String, vector: KnowledgeRow.vector(from: row["embedding"] as Data)) }
        }
    }

    func entries(keys: [String]) async throws -> [String: KnowledgeEntry] {
        guard !keys.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let payloads = try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT key, payload FROM knowledge_entries WHERE key IN (\(placeholders))",
                arguments: StatementArguments(keys.map { $0 as (any DatabaseValueConvertible)? })
            ).map { (key: $0["key"] as String, payload: $0["payload"] as String) }
        }
        var entries: [String: KnowledgeEntry] = [:]
        for (key, payload) in payloads { entries[key] = try KnowledgeRow.decode(payload) }
        return entries
    }

    func storedStates() async throws -> [String: StoredEntryState] {
        try await writer.read { db in
            var states: [String: StoredEntryState] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT key, content_hash, embedding_hash, embedding_model FROM knowledge_entries")
            while let row = try rows.next() {
                states[row["key"] as String] = StoredEntryState(
                    contentHash: row["content_hash"], embeddingHash: row["embedding_hash"],
                    embeddingModel: row["embedding_model"])
            }
            return states
        }
    }

    func cachedVectors(model: String) async throws -> [String: [Float]] {
        try await writer.read { db in
            var vectors: [String: [Float]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT embedding_hash, embedding FROM knowledge_entries WHERE embedding_model = ? AND embedding IS NOT NULL",
                arguments: [model])
            while let row = try rows.next() {
                vectors[row["embedding_hash"] as String] = KnowledgeRow.vector(from: row["embedding"] as Data)
            }
            return vectors
        }
    }

    func apply(_ plan: ReplacePlan, importErrors: Int, at date: Date) async throws -> KnowledgeReplaceOutcome {
        try await writer.write { db in
            let findID = try db.makeStatement(sql: "SELECT id FROM knowledge_entries WHERE key = ?")
            let deleteText = try db.makeStatement(sql: "DELETE FROM knowledge_fts WHERE rowid = ?")
            let deleteEntry = try db.makeStatement(sql: "DELETE FROM knowledge_entries WHERE id = ?")
            func delete(_ key: String) throws {
                guard let id = try Int64.fetchOne(findID, arguments: [key]) else { return }
                try deleteText.execute(arguments: [id])
                try deleteEntry.execute(arguments: [id])
            }
            let insertEntry = try db.makeStatement(
                sql: """
                    INSERT INTO knowledge_entries (key, job_base, job_qualified, job_pattern, job_stream, workstation,
                        has_wildcard, content_hash, embedding_hash, payload, search_text, embedding, embedding_model,
                        updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertText = try db.makeStatement(sql: "INSERT INTO knowledge_fts (rowid, search_text) VALUES (?, ?)")
            let insertCode = try db.makeStatement(
                sql: "INSERT OR IGNORE INTO knowledge_error_codes (code, entry_key) VALUES (?, ?)")
            var writes = plan.makeWrites()
            while let write = try writes.next() {
                let row = write.row
                if write.replaces { try delete(row.key) }
                try insertEntry.execute(arguments: [
                    row.key, row.jobBase, row.jobQualified, row.jobPattern, row.jobStream, row.workstation,
                    row.hasWildcard, row.contentHash, row.embeddingHash, row.payload, row.searchText,
                    row.embedding.map(KnowledgeRow.vectorData), row.embeddingModel, row.updatedAt,
                ])
                try insertText.execute(arguments: [db.lastInsertedRowID, row.searchText])
                for code in row.errorCodes { try insertCode.execute(arguments: [code, row.key]) }
            }
            for key in writes.deletes() { try delete(key) }
            try db.execute(
                sql: """
                    UPDATE knowledge_meta SET generation = generation + ?, last_import = ?, last_import_errors = ?
                    WHERE id = 1
                    """,
                arguments: [writes.changed ? 1 : 0, date.timeIntervalSince1970, importErrors])
            return writes.outcome
        }
    }

    func stats() async throws -> KnowledgeStats {
        try await writer.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM knowledge_entries") ?? 0
            let row = try Row.fetchOne(
                db, sql: "SELECT last_import, last_import_errors FROM knowledge_meta WHERE id = 1")
            let last: Double? = row?["last_import"]
            return KnowledgeStats(
                entries: count, lastImport: last.map(Date.init(timeIntervalSince1970:)),
                lastImportErrors: row?["last_import_errors"] ?? 0)
        }
    }

    static func hits(_ db: Database, _ sql: String, _ value: String) throws -> [KeyHit] {
        try Row.fetchAll(db, sql: sql + " LIMIT 1000", arguments: [value]).map {
            KeyHit(key: $0[0] as String, value: $0[1] as String?)
        }
    }
}

extension WildcardRow {
    static func make(key: String, jobPattern: String?, jobStream: String?, workstation: String?) -> WildcardRow {
        func pattern(_ text: String?) -> JobNamePattern? {
            guard let text, JobNamePattern.isWildcard(text) else { return nil }
            return JobNamePattern(text)
        }
        return WildcardRow(
            key: key, jobPattern: pattern(jobPattern), jobStream: pattern(jobStream), workstation: pattern(workstation))
    }
}
