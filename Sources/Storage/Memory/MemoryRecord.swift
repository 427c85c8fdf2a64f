import Foundation
import ResyncCore

/// A memory as stored: the value itself (JSON) plus the columns that filters and rankings use.
struct MemoryRecord: Sendable {
    var id: String
    var kind: String
    var jobBase: String?
    var errorKey: String?
    var status: String
    var platform: String?
    var searchText: String
    var positive: Int
    var negative: Int
    var auditorScore: Double?
    var createdAt: Double
    var updatedAt: Double
    var payload: String

    init(_ memory: Memory) throws {
        id = memory.id
        kind = memory.kind.rawValue
        jobBase = memory.jobName.map(JobNamePattern.baseName)
        errorKey = memory.errorSignature.flatMap(Self.errorKey)
        status = memory.status.rawValue
        platform = memory.conversation?.platform.rawValue
        searchText = TextFolding.indexText(
            [memory.question, memory.text, memory.jobName, memory.errorSignature].compactMap { $0 }.joined(
                separator: "\n"))
        positive = memory.feedback.positive
        negative = memory.feedback.negative
        auditorScore = memory.auditorScore
        createdAt = memory.createdAt.timeIntervalSince1970
        updatedAt = memory.updatedAt.timeIntervalSince1970
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        payload = String(decoding: try encoder.encode(memory), as: UTF8.self)
    }

    /// The canonical error a memory is about: the first signature found in it (`ABEND S0C4` → `S0C4`).
    static func errorKey(_ signature: String) -> String? {
        ErrorCode.extract(from: signature).first ?? ErrorCode.normalize(signature)
    }

    static func decode(_ payload: String) throws -> Memory {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(Memory.self, from: Data(payload.utf8))
    }
}

/// A SELECT over `memories` written once with `?` placeholders; PostgreSQL gets `$1, $2…`.
struct MemorySelect: Sendable {
    var conditions: [String] = []
    var values: [SQLValue] = []
    var order = "updated_at DESC, id"
    var limit = 100
    var offset = 0

    mutating func require(_ condition: String, _ bound: SQLValue...) {
        conditions.append(condition)
        values += bound
    }

    var sql: String {
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return "SELECT payload FROM memories\(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)"
    }

    var postgresSQL: String {
        var counter = 0
        return sql.split(separator: "?", omittingEmptySubsequences: false).enumerated().map { index, part in
            guard index > 0 else { return String(part) }
            counter += 1
            return "$\(counter)" + part
        }.joined()
    }

    static func filter(_ filter: MemoryFilter) -> MemorySelect {
        var select = MemorySelect()
        if filter.statuses.isEmpty {
            select.require("status <> ?", .text(MemoryStatus.deleted.rawValue))
        } else {
            let statuses = filter.statuses.map(\.rawValue).sorted()
            select.require(
                "status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")")
            select.values += statuses.map(SQLValue.text)
        }
        if let kind = filter.kind { select.require("kind = ?", .text(kind.rawValue)) }
        if let job = filter.jobName { select.require("job_base = ?", .text(JobNamePattern.baseName(job))) }
        if let platform = filter.platform { select.require("platform = ?", .text(platform.rawValue)) }
        for term in TextFolding.terms(filter.text ?? "").prefix(8) {
            select.require("search_text LIKE ?", .text("%" + term + "%"))
        }
        select.limit = min(max(filter.limit, 1), 1000)
        select.offset = max(filter.offset, 0)
        return select
    }

    /// Active or approved known solutions for a job: approved first, then those about the same error,
    /// then by feedback balance, auditor score and recency.
    static func knownSolutions(jobName: String, errorSignature: String?, limit: Int) -> MemorySelect {
        var select = MemorySelect()
        select.require("kind = ?", .text(MemoryKind.knownSolution.rawValue))
        select.require("status IN (?, ?)", .text(MemoryStatus.active.rawValue), .text(MemoryStatus.approved.rawValue))
        select.require("job_base = ?", .text(JobNamePattern.baseName(jobName)))
        var errorOrder = ""
        if let key = errorSignature.flatMap(MemoryRecord.errorKey) {
            select.require("(error_key = ? OR error_key IS NULL)", .text(key))
            errorOrder = "CASE WHEN error_key = ? THEN 1 ELSE 0 END DESC, "
            select.values.append(.text(key))
        }
        select.order =
            "CASE WHEN status = 'approved' THEN 1 ELSE 0 END DESC, \(errorOrder)"
            + "(positive - negative) DESC, COALESCE(auditor_score, 0) DESC, updated_at DESC, id"
        select.limit = min(max(limit, 1), 100)
        return select
    }
}

/// What the memory store reports when asked to change something that is not there.
public enum MemoryStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case notDeleted(String)

    public var description: String {
        switch self {
        case .notFound(let id): "no memory with id \(id)"
        case .notDeleted(let id): "memory \(id) is not deleted, so there is nothing to restore"
        }
    }
}
