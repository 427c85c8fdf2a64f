import Foundation

/// Where an entry of the knowledge base came from, so an answer can cite it and an import report
/// can point at the offending row.
public struct KnowledgeSource: Hashable, Sendable, Codable {
    public var file: String
    public var sheet: String?
    public var row: Int?

    public init(file: String, sheet: String? = nil, row: Int? = nil) {
        self.file = file
        self.sheet = sheet
        self.row = row
    }
}

/// A field of the team's spreadsheet that does not map to a known column, kept and shown as is.
public struct ExtraField: Hashable, Sendable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One piece of the team's know-how: how to handle a job or an error, who owns it, where the runbook is.
public struct KnowledgeEntry: Hashable, Sendable, Codable, Identifiable {
    /// Stable key derived from the entry's identity (source and job/error), so re-imports are idempotent.
    public var key: String
    /// Job name or glob pattern (`PAYROLL_*`, `@`, `/FOLDER/NAME`); nil for a general entry.
    public var jobPattern: String?
    public var jobStream: String?
    public var workstation: String?
    /// Error signatures this entry addresses: `RC=12`, `S0C4`, `ABEND`…
    public var errorCodes: [String]
    public var title: String
    public var description: String?
    public var procedure: String?
    public var owner: String?
    public var contact: String?
    public var links: [String]
    public var severity: String?
    public var extra: [ExtraField]
    public var source: KnowledgeSource
    public var updatedAt: Date?

    public var id: String { key }

    public init(
        key: String, jobPattern: String? = nil, jobStream: String? = nil, workstation: String? = nil,
        errorCodes: [String] = [], title: String, description: String? = nil, procedure: String? = nil,
        owner: String? = nil, contact: String? = nil, links: [String] = [], severity: String? = nil,
        extra: [ExtraField] = [], source: KnowledgeSource, updatedAt: Date? = nil
    ) {
        self.key = key
        self.jobPattern = jobPattern
        self.jobStream = jobStream
        self.workstation = workstation
        self.errorCodes = errorCodes
        self.title = title
        self.description = description
        self.procedure = procedure
        self.owner = owner
        self.contact = contact
        self.links = links
        self.severity = severity
        self.extra = extra
        self.source = source
        self.updatedAt = updatedAt
    }
}

/// Why a knowledge entry or memory matched a question; shown to the user next to the result.
public enum MatchReason: Hashable, Sendable, Codable, CustomStringConvertible {
    case exactJob
    case jobPattern(String)
    case jobStream(String)
    case workstation(String)
    case errorCode(String)
    case text
    case semantic

    public var description: String {
        switch self {
        case .exactJob: "exact job"
        case .jobPattern(let pattern): "pattern \(pattern)"
        case .jobStream(let stream): "job stream \(stream)"
        case .workstation(let workstation): "workstation \(workstation)"
        case .errorCode(let code): "error \(code)"
        case .text: "text"
        case .semantic: "semantic"
        }
    }
}

/// What to look up in the knowledge base.
public struct KnowledgeQuery: Hashable, Sendable, Codable {
    public var jobName: String?
    public var jobStream: String?
    public var workstation: String?
    /// Error signatures seen on the job: `RC=12`, `ABEND`, `S0C4`…
    public var errorCodes: [String]
    /// Free text (the question, or words from it).
    public var text: String?
    public var limit: Int

    public init(
        jobName: String? = nil, jobStream: String? = nil, workstation: String? = nil, errorCodes: [String] = [],
        text: String? = nil, limit: Int = 5
    ) {
        self.jobName = jobName
        self.jobStream = jobStream
        self.workstation = workstation
        self.errorCodes = errorCodes
        self.text = text
        self.limit = limit
    }
}

/// A ranked search result.
public struct KnowledgeMatch: Hashable, Sendable, Codable {
    public var entry: KnowledgeEntry
    public var score: Double
    public var reasons: [MatchReason]

    public init(entry: KnowledgeEntry, score: Double, reasons: [MatchReason]) {
        self.entry = entry
        self.score = score
        self.reasons = reasons
    }
}

/// Counts for the dashboard and the import report.
public struct KnowledgeStats: Hashable, Sendable, Codable {
    public var entries: Int
    public var lastImport: Date?
    public var lastImportErrors: Int

    public init(entries: Int, lastImport: Date? = nil, lastImportErrors: Int = 0) {
        self.entries = entries
        self.lastImport = lastImport
        self.lastImportErrors = lastImportErrors
    }
}

/// The result of replacing the knowledge base with a new set of entries.
public struct KnowledgeReplaceOutcome: Hashable, Sendable, Codable {
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var removed: Int
    /// Entries written without their embedding vector: the embeddings endpoint did not compute them within the
    /// import's budget. They are found by words meanwhile; the next import of the same file fills them in.
    public var vectorsMissing: Int

    public init(created: Int, updated: Int, unchanged: Int, removed: Int, vectorsMissing: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.removed = removed
        self.vectorsMissing = vectorsMissing
    }
}

/// The team's knowledge base.
public protocol KnowledgeStore: Sendable {
    /// Ranked entries relevant to `query`, best first, at most `query.limit`, deduplicated.
    func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch]
    /// Replaces the whole knowledge base in one transaction: on failure the previous one stays.
    func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome
    /// One entry by key.
    func entry(key: String) async throws -> KnowledgeEntry?
    func stats() async throws -> KnowledgeStats
}
