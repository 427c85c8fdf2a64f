import Foundation
import ResyncCore

extension Agent: FailureDiagnosing {
    /// The answer about one failed job the monitor already read: its redacted log tail and the team's
    /// knowledge (KB procedure, known solutions, owner), read concurrently under the answer deadline and
    /// composed like a status answer. The job itself is not read again: the monitor's read is the fact.
    public func diagnose(_ job: Job, language: Language) async -> Answer {
        let parsed = ParsedQuestion(
            intent: .jobStatus, language: language, jobName: job.qualifiedName, jobStream: job.jobStreamName)
        let question = "status \(job.qualifiedName)"
        let tools = scheduler
        let lines = configuration.logTailLines
        let query = KnowledgeQuery(
            jobName: JobNamePattern.baseName(job.name), jobStream: job.jobStreamName,
            errorCodes: Self.errorCodes(of: job), text: nil, limit: configuration.knowledgeLimit)
        let (live, team) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                var facts = LiveFacts()
                facts.jobs = [job]
                facts.log = try await tools.redactedLog(of: job, lines: lines)
                return facts
            },
            knowledge: { await self.knowledge.lookup(query) })
        var builder = makeBuilder(question, parsed)
        builder.apply(team)
        let facts: LiveFacts
        switch live {
        case .success(let read):
            facts = read
        case .failure(let failure):
            // The log is out of reach; the failure itself is still known from the monitor's read.
            facts = LiveFacts(jobs: [job])
            builder.answer.notices.append(.schedulerUnavailable(reason: failure.reason, lastGood: nil))
        case nil:
            facts = LiveFacts(jobs: [job])
        }
        builder.setLive(jobs: facts.jobs, log: facts.log, freshness: .live(at: time.now()), limit: 1)
        builder.answer.headline = builder.phrases.jobHeadline(job)
        builder.answer.nextStep = builder.phrases.nextStepForFailure(job, knowledge: team ?? TeamKnowledge())
        return builder.answer
    }
}
