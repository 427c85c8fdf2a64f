import Foundation
import ResyncCore

extension Agent {
    /// Status of a job: plan read (then, for one failed job, its log and a knowledge lookup with its return
    /// code) alongside KB and memory lookups.
    func jobStatus(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        guard let name = parsed.jobName else { return help(question, parsed) }
        let started = ContinuousClock.now
        let tools = scheduler
        let lines = configuration.logTailLines
        let query = knowledgeQuery(parsed, includeText: false)
        let (live, jobKnowledge) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                var facts = try await self.readJobs(named: name, stream: parsed.jobStream, logLines: lines) { _ in nil }
                guard facts.jobs.count == 1, facts.jobs[0].isFailed else {
                    return await self.streamInsteadOfNoJob(facts, name: name, parsed: parsed) ?? facts
                }
                let job = facts.jobs[0]
                // The failure's return code is known only now: its knowledge lookup runs beside the log read.
                async let failureKnowledge = self.failureKnowledge(of: job, query: query, started: started)
                facts.log = try? await tools.redactedLog(of: job, lines: lines)
                facts.failureKnowledge = await failureKnowledge
                return facts
            },
            knowledge: { await self.knowledge.lookup(query) })
        var team = jobKnowledge
        if case .success(let facts) = live { team = Self.knowledge(jobKnowledge, forFailureIn: facts) }
        var builder = makeBuilder(question, parsed)
        let phrases = builder.phrases
        builder.apply(team)
        switch live {
        case .success(let facts) where !facts.streams.isEmpty:
            return await streamAskedAsAJob(question, parsed, name: name, facts: facts, startedAt: started)
        case .success(let facts):
            builder.setLive(
                jobs: facts.jobs, log: facts.log, freshness: .live(at: time.now()), limit: configuration.maxListedJobs)
            describeJobs(facts, name: name, into: &builder)
            if facts.jobs.count == 1, facts.jobs[0].isFailed {
                builder.answer.nextStep = phrases.nextStepForFailure(facts.jobs[0], knowledge: team ?? TeamKnowledge())
            }
        case .failure(let failure):
            await applySchedulerFailure(failure, name: name, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// The redacted tail of a job's last run log.
    func jobLog(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        guard let name = parsed.jobName else { return help(question, parsed) }
        let tools = scheduler
        // The parser never asks for 0 lines; a ParsedQuestion built elsewhere might, and would get an empty log.
        let requested = parsed.lineCount.flatMap { $0 > 0 ? $0 : nil } ?? configuration.logTailLines
        let lines = min(requested, configuration.maxLogLines)
        let (live, _) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                try await self.readJobs(named: name, stream: parsed.jobStream, logLines: lines) { jobs in
                    guard jobs.count == 1 else { return nil }
                    return try await tools.redactedLog(of: jobs[0], lines: lines)
                }
            },
            knowledge: nil)
        var builder = makeBuilder(question, parsed)
        switch live {
        case .success(let facts):
            builder.setLive(
                jobs: facts.jobs, log: facts.log, freshness: .live(at: time.now()), limit: configuration.maxListedJobs)
            describeJobs(facts, name: name, into: &builder)
            if facts.jobs.count == 1 {
                builder.answer.headline =
                    facts.log == nil
                    ? builder.phrases.noRun(facts.jobs[0])
                    : builder.phrases.logHeadline(facts.jobs[0], lines: facts.log?.lines.count ?? 0)
            }
        case .failure(let failure):
            await applySchedulerFailure(failure, name: name, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// Why a job waits: its unsatisfied dependencies, read from the plan.
    func whyWaiting(_ question: String, _ parsed: ParsedQuestion) async -> Answer {
        guard let name = parsed.jobName else { return help(question, parsed) }
        let tools = scheduler
        let (live, team) = await Fanout.run(
            deadline: fanoutDeadline,
            live: {
                var facts = try await self.readJobs(named: name, stream: parsed.jobStream, logLines: 0) { _ in nil }
                if facts.jobs.count == 1, let detailed = try? await tools.withDependencies(facts.jobs[0]) {
                    facts.jobs = [detailed]
                }
                return facts
            },
            knowledge: { await self.knowledge.lookup(self.knowledgeQuery(parsed, includeText: false)) })
        var builder = makeBuilder(question, parsed)
        builder.apply(team)
        switch live {
        case .success(let facts):
            builder.setLive(jobs: facts.jobs, freshness: .live(at: time.now()), limit: configuration.maxListedJobs)
            describeJobs(facts, name: name, into: &builder)
            if facts.jobs.count == 1 {
                let job = facts.jobs[0]
                let open = job.dependencies.filter { !$0.satisfied }
                builder.answer.headline = builder.phrases.waitingHeadline(job, open: open)
                builder.answer.nextStep = builder.phrases.nextStepForWaiting(open)
            }
        case .failure(let failure):
            await applySchedulerFailure(failure, name: name, to: &builder)
        case nil:
            break
        }
        return builder.answer
    }

    /// "status NIGHTLY_BATCH" names a job stream, not a job: when no job has the name and a stream does, the
    /// stream's status (nil otherwise, and for a name already limited to a stream).
    func streamInsteadOfNoJob(_ facts: LiveFacts, name: String, parsed: ParsedQuestion) async -> LiveFacts? {
        guard facts.jobs.isEmpty, parsed.jobStream == nil,
            let streams = try? await readStreams(named: name), !streams.streams.isEmpty
        else { return nil }
        return streams
    }

    /// The answer for a job stream asked about as a job, with what the team knows about the stream (looked up in
    /// what is left of the deadline). It is about the stream: thread follow-ups and the access policy see a stream.
    func streamAskedAsAJob(
        _ question: String, _ parsed: ParsedQuestion, name: String, facts: LiveFacts,
        startedAt: ContinuousClock.Instant
    ) async -> Answer {
        var asStream = parsed
        asStream.intent = .jobStreamStatus
        asStream.jobName = nil
        asStream.jobStream = name
        var team: TeamKnowledge?
        let query = knowledgeQuery(asStream, includeText: false)
        let remaining = fanoutDeadline - (ContinuousClock.now - startedAt)
        if remaining > .milliseconds(10) {
            team = await Fanout.run(deadline: remaining, live: nil, knowledge: { await self.knowledge.lookup(query) })
                .knowledge
        }
        var builder = makeBuilder(question, asStream)
        builder.apply(team)
        describeStreams(facts, name: name, into: &builder)
        return builder.answer
    }

    /// Reads the jobs named `name`, remembers them as the last good read, and when there are none finds
    /// close names. `extra` runs after the read (the log of a single failed job).
    func readJobs(
        named name: String, stream: String?, logLines: Int,
        extra: @Sendable ([Job]) async throws -> JobLog?
    ) async throws -> LiveFacts {
        var facts = LiveFacts()
        do {
            facts.jobs = try await scheduler.findJobs(
                named: name, jobStream: stream, limit: configuration.maxListedJobs * 5)
        } catch SchedulerError.notFound {
            // Some engines answer 404 to a query with no match: that is "no such job", not an outage.
            facts.jobs = []
        }
        await lastGood.record(jobs: facts.jobs, for: name, at: time.now())
        if facts.jobs.isEmpty {
            facts.suggestions = (try? await scheduler.suggestions(for: name)) ?? []
        } else {
            facts.log = try await extra(facts.jobs)
        }
        return facts
    }

    /// Headline and notices for "one job", "several jobs" and "no such job".
    func describeJobs(_ facts: LiveFacts, name: String, into builder: inout AnswerBuilder) {
        let phrases = builder.phrases
        switch facts.jobs.count {
        case 0:
            builder.answer.headline = phrases.unknownJob(name, suggestions: facts.suggestions)
            builder.answer.notices.append(.unknownJob(name: name, suggestions: facts.suggestions))
            builder.answer.nextStep = phrases.nextStepForUnknownJob
        case 1:
            builder.answer.headline = phrases.jobHeadline(facts.jobs[0])
        default:
            let candidates = facts.jobs.map(\.qualifiedName)
            builder.answer.headline = phrases.severalJobs(facts.jobs.count, name: name)
            builder.answer.notices.append(.ambiguousJob(name: name, candidates: candidates))
        }
    }
}
