import ResyncCore

/// The indexed look-ups of one search, handed to the backend together so that SQLite answers them in a
/// single read transaction (one hop to a reader connection instead of one per step).
struct KnowledgeLookup: Sendable {
    var jobBase: String?
    var jobStream: String?
    var workstation: String?
    var errorCodes: [String] = []
    /// Keys found in memory (wildcard patterns): checked for the error codes like the ones found in SQL.
    var knownKeys: [String] = []
    /// Folded terms worth a full-text search (the common ones already left out).
    var terms: [String] = []
    var depth: Int

    /// Bounds the `IN` list of one error-code look-up (SQLite allows 32,766 parameters).
    static let maximumErrorCheckedCandidates = 5_000

    /// Every entry already found (its job, stream, workstation or text) is checked for the error codes;
    /// entries found by the error alone are only a sample (`depth` of them), since thousands may share a
    /// common code such as RC=4.
    func errorCheckedKeys(_ result: KnowledgeLookupResult) -> [String] {
        var seen = Set<String>()
        var keys: [String] = []
        let found =
            [knownKeys, result.exactJobs.map(\.key), result.jobStreamKeys.map(\.key)]
            + [result.workstationKeys.map(\.key), result.textRanks]
        for key in found.joined() where seen.insert(key).inserted { keys.append(key) }
        return keys.count <= Self.maximumErrorCheckedCandidates
            ? keys : Array(keys.sorted().prefix(Self.maximumErrorCheckedCandidates))
    }
}

/// What the look-ups found, and the knowledge generation they saw.
struct KnowledgeLookupResult: Sendable {
    var generation: Int64
    var exactJobs: [KeyHit] = []
    var jobStreamKeys: [KeyHit] = []
    var workstationKeys: [KeyHit] = []
    var errorHits: [KeyHit] = []
    /// Keys best first by BM25 / ts_rank.
    var textRanks: [String] = []
}
