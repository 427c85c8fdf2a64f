import Foundation
import ResyncCore

extension Agent {
    /// The error codes a failed run ended with, written the way the knowledge base keys them (`RC=12`).
    /// HWA reports a return code, not an ABEND code, and `ABEND` alone tells no entry apart.
    static func errorCodes(of job: Job) -> [String] {
        guard job.isFailed else { return [] }
        return ErrorCode.extract(from: job.failureSignature).filter { $0 != "ABEND" }
    }

    /// What the team knows about a failed job's error, when the question named none: the job's lookup again
    /// with the run's error code, so that general know-how about that code is found and entries written for
    /// another code rank below it. It runs once the job has been read, beside its log, and is bounded by
    /// what is left of the answer's deadline since `started`: a slow knowledge base leaves the first lookup
    /// (nil here) rather than make HWA look unreachable.
    func failureKnowledge(of job: Job, query: KnowledgeQuery, started: ContinuousClock.Instant) async -> TeamKnowledge?
    {
        let codes = Self.errorCodes(of: job)
        guard query.errorCodes.isEmpty, !codes.isEmpty else { return nil }
        var withCodes = query
        withCodes.errorCodes = codes
        let refined = withCodes
        // The live result waits for this lookup, so it keeps a fifth of the deadline (at least 100 ms) to get back
        // to the fan-out: a 50 ms margin lost HWA's answer whenever the machine was busy.
        let margin = max(.milliseconds(100), fanoutDeadline / 5)
        let left = fanoutDeadline - (ContinuousClock.now - started) - margin
        guard left > .zero else { return nil }
        let team = try? await withDeadline(left) { await self.knowledge.lookup(refined) }
        return team?.unavailable == nil ? team : nil
    }

    /// The knowledge an answer about one failed job uses: the lookup made with its error code, or else the
    /// job's lookup judged against that code, so a procedure written for another error is never its next step.
    static func knowledge(_ team: TeamKnowledge?, forFailureIn facts: LiveFacts) -> TeamKnowledge? {
        guard facts.jobs.count == 1, facts.jobs[0].isFailed else { return team }
        if let refined = facts.failureKnowledge { return refined }
        guard var team else { return nil }
        team.subject = team.subject.assuming(errorCodes: errorCodes(of: facts.jobs[0]))
        return team
    }
}
