import Foundation
import ResyncCore

/// Collects the candidates of each stage of the cascade and ranks them.
///
/// Scores: exact job 100 (95 across folders), wildcard pattern 60 + its literal characters (max 90, so a
/// more specific pattern wins), job stream 50, workstation 40, error code 30 (10 when the entry is about
/// another job), plus up to ~10 from reciprocal rank fusion of the full-text and semantic rankings.
/// Structured matches therefore always outrank text-only ones, and text breaks ties between them. When the
/// question names an error code, an entry written only for other codes is about another failure: its job,
/// stream or workstation match counts a fifth (an exact job 20), below general know-how about the code asked.
struct KnowledgeRanking {
    let jobName: String?
    let jobStream: String?
    let workstation: String?
    let errorCodes: [String]
    let terms: [String]
    var textRanks: [String] = []
    var semanticRanks: [String] = []
    var candidates: [String: Candidate] = [:]

    struct Candidate {
        var score: Double = 0
        var reasons: [MatchReason] = []
        var matchedJob = false
    }

    init(query: KnowledgeQuery) {
        jobName = Self.nonEmpty(query.jobName)?.uppercased()
        jobStream = Self.nonEmpty(query.jobStream)?.uppercased()
        workstation = Self.nonEmpty(query.workstation)?.uppercased()
        var codes = query.errorCodes.compactMap(ErrorCode.normalize)
        codes += ErrorCode.extract(from: query.text ?? "")
        var seen = Set<String>()
        errorCodes = codes.filter { seen.insert($0).inserted }
        var seenTerms = Set<String>()
        terms = Array(TextFolding.terms(query.text ?? "").filter { seenTerms.insert($0).inserted }.prefix(32))
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    mutating func addExactJob(key: String, qualified: String?) {
        guard let jobName else { return }
        let asked = jobName.contains("/") ? JobNamePattern.qualifiedName(jobName) : nil
        if let qualified, let asked, qualified != asked { return }
        add(key: key, reason: .exactJob, score: qualified == asked ? 100 : 95)
    }

    /// A wildcard entry that matched the question, with the reason and score it adds.
    struct WildcardHit {
        var key: String
        var reason: MatchReason
        var score: Double?
    }

    /// The wildcard entries matching the question's job, job stream or workstation.
    func wildcardHits(_ rows: [WildcardRow]) -> [WildcardHit] {
        var hits: [WildcardHit] = []
        for row in rows {
            if let jobName, let pattern = row.jobPattern, pattern.matches(jobName) {
                hits.append(
                    WildcardHit(
                        key: row.key, reason: .jobPattern(pattern.text),
                        score: 60 + Double(min(pattern.specificity, 30))))
            }
            if let jobStream, let pattern = row.jobStream, pattern.matches(jobStream) {
                hits.append(WildcardHit(key: row.key, reason: .jobStream(pattern.text)))
            }
            if let workstation, let pattern = row.workstation, pattern.matches(workstation) {
                hits.append(WildcardHit(key: row.key, reason: .workstation(pattern.text)))
            }
        }
        return hits
    }

    mutating func add(_ hits: [WildcardHit]) {
        for hit in hits { add(key: hit.key, reason: hit.reason, score: hit.score) }
    }

    mutating func add(key: String, reason: MatchReason, score explicitScore: Double? = nil) {
        var candidate = candidates[key] ?? Candidate()
        guard !candidate.reasons.contains(reason) else { return }
        let score: Double
        switch reason {
        case .exactJob, .jobPattern:
            candidate.matchedJob = true
            score = explicitScore ?? 100
        case .jobStream: score = 50
        case .workstation: score = 40
        case .errorCode: score = 30
        case .text, .semantic: score = 0
        }
        // Several structured reasons add up, but a job match counts once (the best one).
        if case .jobPattern = reason, candidate.reasons.contains(where: Self.isJobReason) {
            candidate.score = max(candidate.score, score)
        } else {
            candidate.score += score
        }
        candidate.reasons.append(reason)
        candidates[key] = candidate
    }

    static func isJobReason(_ reason: MatchReason) -> Bool {
        switch reason {
        case .exactJob, .jobPattern: true
        default: false
        }
    }

    /// Reciprocal rank fusion (k = 60) of the text and semantic rankings, scaled to at most ~10 points.
    var fusedTextScores: [String: Double] {
        var scores: [String: Double] = [:]
        for ranks in [textRanks, semanticRanks] {
            for (rank, key) in ranks.enumerated() { scores[key, default: 0] += 1 / Double(60 + rank + 1) }
        }
        return scores.mapValues { $0 * 300 }
    }

    /// The keys worth loading: the best by preliminary score.
    func shortlist(_ size: Int) -> [String] {
        let text = fusedTextScores
        let keys = Set(candidates.keys).union(text.keys)
        return keys.map { ($0, (candidates[$0]?.score ?? 0) + (text[$0] ?? 0)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .prefix(size).map(\.0)
    }

    /// True when the question names error codes and `entry` is written only for others. `ABEND` on either
    /// side says only that a job abended, so it agrees with any code.
    func isWrittenForAnotherError(_ entry: KnowledgeEntry) -> Bool {
        let asked = errorCodes.filter { $0 != "ABEND" }
        guard !asked.isEmpty, !entry.errorCodes.isEmpty else { return false }
        let written = entry.errorCodes.compactMap(ErrorCode.normalize)
        return !written.contains("ABEND") && !written.contains(where: asked.contains)
    }

    func matches(entries: [String: KnowledgeEntry], limit: Int) -> [KnowledgeMatch] {
        let text = fusedTextScores
        let textKeys = Set(textRanks)
        let semanticKeys = Set(semanticRanks)
        var matches: [KnowledgeMatch] = []
        for (key, entry) in entries {
            let candidate = candidates[key] ?? Candidate()
            var score = candidate.score * (isWrittenForAnotherError(entry) ? 0.2 : 1) + (text[key] ?? 0)
            // An error code on an entry written for another job is weak evidence.
            if jobName != nil, entry.jobPattern != nil, !candidate.matchedJob,
                candidate.reasons.contains(where: { if case .errorCode = $0 { true } else { false } })
            {
                score -= 20
            }
            var reasons = candidate.reasons
            if textKeys.contains(key) { reasons.append(.text) }
            if semanticKeys.contains(key) { reasons.append(.semantic) }
            guard !reasons.isEmpty else { continue }
            matches.append(KnowledgeMatch(entry: entry, score: (score * 1000).rounded() / 1000, reasons: reasons))
        }
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry.key < $1.entry.key }
        // The same know-how imported twice (a sheet row and a runbook) is shown once.
        var seen = Set<String>()
        return Array(
            matches.filter { match in
                let identity = TextFolding.fold(
                    [match.entry.title, match.entry.procedure ?? "", match.entry.jobPattern ?? ""].joined(
                        separator: "|"))
                return seen.insert(identity).inserted
            }.prefix(limit))
    }
}
